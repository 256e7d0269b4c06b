using Pipeline.Contracts;

namespace Pipeline.Storage;

/// <summary>Reads payloads that are slices of bundles (<see cref="BlobRef.Offset"/>): the slices of one blob come back
/// with one ranged read covering them all, and each is checked against its own SHA-256.</summary>
public static class BlobSlices
{
    /// <summary>The payloads of <paramref name="blobs"/>, in order.</summary>
    public static async Task<byte[][]> GetManyAsync(this IBlobStore store, IReadOnlyList<BlobRef> blobs, CancellationToken cancellationToken)
    {
        var results = new byte[blobs.Count][];
        // A whole blob is its own group; the slices of one bundle form one group, read with one covering range.
        var groups = Enumerable.Range(0, blobs.Count).GroupBy(i => blobs[i].Offset is null ? $"\0{i}" : blobs[i].Name);
        await Task.WhenAll(groups.Select(group => ReadGroupAsync(group.ToList())));
        return results;

        async Task ReadGroupAsync(List<int> indices)
        {
            var first = blobs[indices[0]];
            if (first.Offset is null)
            {
                results[indices[0]] = await store.GetAsync(first, cancellationToken);
                return;
            }
            var start = indices.Min(i => blobs[i].Offset!.Value);
            var end = indices.Max(i => blobs[i].Offset!.Value + blobs[i].Length);
            var covering = await store.ReadRangeAsync(first.Name, start, end - start, cancellationToken);
            foreach (var i in indices)
                results[i] = Slice(blobs[i], covering, start);
        }
    }

    /// <summary>The slice <paramref name="blob"/> names out of <paramref name="bytes"/>, which start at blob offset
    /// <paramref name="bytesOffset"/>; checked against the slice's SHA-256.</summary>
    public static byte[] Slice(BlobRef blob, ReadOnlySpan<byte> bytes, long bytesOffset)
    {
        var offset = blob.Offset ?? 0;
        var from = offset - bytesOffset;
        if (from < 0 || blob.Length < 0 || from + blob.Length > bytes.Length)
            throw new BlobIntegrityException(blob.Name, blob.Sha256, $"nothing (bytes {offset}..{offset + blob.Length} are not all stored)");
        var slice = bytes.Slice((int)from, (int)blob.Length).ToArray();
        Verify(blob, slice);
        return slice;
    }

    public static void Verify(BlobRef blob, ReadOnlySpan<byte> bytes)
    {
        var actual = Sha256Hex.Of(bytes);
        if (actual != blob.Sha256)
            throw new BlobIntegrityException(blob.Offset is { } offset ? $"{blob.Name}@{offset}" : blob.Name, blob.Sha256, actual);
    }
}
