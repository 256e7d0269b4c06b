using System.Runtime.ExceptionServices;
using Pipeline.Contracts;

namespace Pipeline.Storage;

/// <summary>The payloads a batch of items needs, read with as few requests as their layout allows: slices of one bundle
/// that lie close together come back with one covering ranged read (a stage's batch usually needs slices of every item
/// of one bundle of the stage before), and each whole blob with one read (a blob two items need is read once). Each
/// slice is checked against its own SHA-256. A missing or damaged blob fails only the references it holds:
/// <see cref="Get"/> throws for those, so one bad item does not fail the batch; any other failure (the store
/// unreachable) throws from <see cref="ReadAsync"/>.</summary>
public sealed class BlobBatchReads
{
    /// <summary>Slices further apart than this are read with separate requests rather than reading the bytes between.</summary>
    public const long MaxGapBytes = 1024 * 1024;

    private readonly Dictionary<BlobRef, byte[]> _read = [];
    private readonly Dictionary<BlobRef, Exception> _failed = [];

    private BlobBatchReads()
    {
    }

    /// <summary>The checked bytes of <paramref name="blob"/>, one of the references read.</summary>
    /// <exception cref="BlobNotFoundException">The blob is not stored.</exception>
    /// <exception cref="BlobIntegrityException">The stored bytes do not hash to the reference.</exception>
    public byte[] Get(BlobRef blob)
    {
        if (_read.TryGetValue(blob, out var bytes))
            return bytes;
        if (_failed.TryGetValue(blob, out var failure))
            ExceptionDispatchInfo.Throw(failure);
        throw new ArgumentException($"{blob.Name} was not among the references read", nameof(blob));
    }

    public static async Task<BlobBatchReads> ReadAsync(IBlobStore store, IEnumerable<BlobRef> blobs, CancellationToken cancellationToken)
    {
        var reads = new BlobBatchReads();
        var distinct = blobs.Distinct().ToList();
        var runs = distinct.Where(b => b.Offset is null).Select(b => new List<BlobRef> { b })
            .Concat(distinct.Where(b => b.Offset is not null).GroupBy(b => b.Name).SelectMany(Runs))
            .ToList();
        var results = await Task.WhenAll(runs.Select(run => ReadRunAsync(store, run, cancellationToken)));
        foreach (var (blob, bytes, failure) in results.SelectMany(r => r))
        {
            if (bytes is not null)
                reads._read[blob] = bytes;
            else
                reads._failed[blob] = failure!;
        }
        return reads;
    }

    /// <summary>The slices of one blob in offset order, cut where the gap to the next exceeds <see cref="MaxGapBytes"/>.</summary>
    private static IEnumerable<List<BlobRef>> Runs(IEnumerable<BlobRef> slices)
    {
        List<BlobRef>? run = null;
        long end = 0;
        foreach (var slice in slices.OrderBy(s => s.Offset))
        {
            if (run is null || slice.Offset!.Value - end > MaxGapBytes)
            {
                if (run is not null)
                    yield return run;
                run = [];
                end = 0;
            }
            run.Add(slice);
            end = Math.Max(end, slice.Offset!.Value + slice.Length);
        }
        if (run is not null)
            yield return run;
    }

    private static async Task<IEnumerable<(BlobRef Blob, byte[]? Bytes, Exception? Failure)>> ReadRunAsync(IBlobStore store, List<BlobRef> run,
        CancellationToken cancellationToken)
    {
        try
        {
            if (run is [{ Offset: null } whole])
                return [(whole, await store.GetAsync(whole, cancellationToken), null)];
            var start = run.Min(b => b.Offset!.Value);
            var end = run.Max(b => b.Offset!.Value + b.Length);
            var covering = await store.ReadRangeAsync(run[0].Name, start, end - start, cancellationToken);
            return run.Select(blob => Checked(blob, covering, start)).ToList();
        }
        catch (Exception e) when (e is BlobNotFoundException or BlobIntegrityException)
        {
            return run.Select(blob => (blob, (byte[]?)null, (Exception?)e)).ToList();
        }
    }

    private static (BlobRef, byte[]?, Exception?) Checked(BlobRef blob, byte[] covering, long start)
    {
        try
        {
            return (blob, BlobSlices.Slice(blob, covering, start), null);
        }
        catch (BlobIntegrityException e)
        {
            return (blob, null, e);
        }
    }
}
