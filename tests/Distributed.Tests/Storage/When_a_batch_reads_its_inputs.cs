using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Contracts;
using Pipeline.Distributed.Tests.Support;
using Pipeline.Storage;

namespace Pipeline.Distributed.Tests.Storage;

/// <summary>A stage batch reads what its items need with one request per run of nearby slices of a bundle and one per
/// whole blob, and a missing or damaged blob fails only the references it holds.</summary>
public sealed class When_a_batch_reads_its_inputs : IDisposable
{
    private readonly TempDirectory _folder = new("pipeline-batch-reads");

    public void Dispose() => _folder.Dispose();

    private CountingBlobStore Store() => new(
        BlobStoreRegistration.Create(new BlobStorageOptions { Kind = BlobStoreKind.LocalFolder, Root = _folder.Path }, NullLogger.Instance));

    private static async Task<BlobRef[]> StoreBundleAsync(IBlobStore store, string name, params int[] sizes)
    {
        var writer = new StageBundle.Writer(name);
        var refs = sizes.Select((size, i) => writer.Add(Enumerable.Range(0, size).Select(b => (byte)(b + i)).ToArray(), "application/octet-stream")).ToArray();
        await store.PutAsync(name, writer.Build("[]"u8), StageBundle.ContentType, CancellationToken.None);
        return refs;
    }

    [Fact]
    public async Task Should_read_the_slices_of_a_bundle_with_one_request_and_each_whole_blob_once()
    {
        var store = Store();
        var slices = await StoreBundleAsync(store, "jobs/j/bundles/invert/000000-000001-000002.bundle", 100, 200, 300, 400);
        var upload = (await store.PutAsync("uploads/a.png", new byte[] { 1, 2, 3 }, "image/png", CancellationToken.None)).Blob;
        var before = store.Requests.Count;

        // Out of order, one slice twice, the upload twice: as the items of a batch ask for them.
        var reads = await BlobBatchReads.ReadAsync(store, [slices[2], slices[0], upload, slices[3], upload, slices[0]], CancellationToken.None);

        Assert.Equal([("get", upload.Name), ("range", slices[0].Name)], store.Requests.Skip(before).Order().ToArray());
        foreach (var slice in slices.Where(s => s != slices[1]))
            Assert.Equal(slice.Sha256, Sha256Hex.Of(reads.Get(slice)));
        Assert.Equal([1, 2, 3], reads.Get(upload));
        Assert.Throws<ArgumentException>(() => reads.Get(slices[1]));
    }

    [Fact]
    public async Task Should_read_slices_far_apart_separately_rather_than_the_bytes_between()
    {
        var store = Store();
        var gap = (int)BlobBatchReads.MaxGapBytes + 1;
        var slices = await StoreBundleAsync(store, "jobs/j/bundles/diffcam/000000-000001.bundle", 10, gap, 10);
        var before = store.Requests.Count;

        var reads = await BlobBatchReads.ReadAsync(store, [slices[0], slices[2]], CancellationToken.None);

        Assert.Equal(2, store.Requests.Skip(before).Count(r => r.Operation == "range"));
        Assert.Equal(slices[2].Sha256, Sha256Hex.Of(reads.Get(slices[2])));
    }

    [Fact]
    public async Task Should_fail_only_the_references_a_missing_or_damaged_blob_holds()
    {
        var store = Store();
        var slices = await StoreBundleAsync(store, "jobs/j/bundles/invert/000004.bundle", 50, 60);
        var missing = slices[0] with { Name = "jobs/j/bundles/invert/000009.bundle" };
        var damaged = slices[1] with { Sha256 = slices[0].Sha256 };

        var reads = await BlobBatchReads.ReadAsync(store, [slices[0], missing, damaged], CancellationToken.None);

        Assert.Equal(slices[0].Sha256, Sha256Hex.Of(reads.Get(slices[0])));
        Assert.Throws<BlobNotFoundException>(() => reads.Get(missing));
        Assert.Throws<BlobIntegrityException>(() => reads.Get(damaged));
    }

    [Fact]
    public void Should_name_a_bundle_by_its_items_and_read_them_back_from_the_name()
    {
        var job = Guid.NewGuid();

        var name = BlobNames.Bundle(job, Stage.DiffCam, [12, 3, 7]);

        Assert.Equal($"jobs/{job:N}/bundles/diffcam/000003-000007-000012.bundle", name);
        Assert.Equal([3, 7, 12], BlobNames.IndicesOfBundle(name));
        Assert.Equal(BlobNames.Bundle(job, Stage.DiffCam, [7, 12, 3]), name);
        Assert.StartsWith(BlobNames.JobFolder(job), name, StringComparison.Ordinal);
        Assert.Empty(BlobNames.IndicesOfBundle($"jobs/{job:N}/items/000003/diffcam/solo-runs"));
        Assert.Empty(BlobNames.IndicesOfBundle($"jobs/{job:N}/bundles/diffcam/00x003.bundle"));
        Assert.True(BlobNames.IsSafe(BlobNames.Bundle(job, Stage.Invert, Enumerable.Range(900_000, BlobNames.MaxItemsPerBundle).ToList())));
        Assert.Throws<ArgumentOutOfRangeException>(() => BlobNames.Bundle(job, Stage.Invert, Enumerable.Range(0, BlobNames.MaxItemsPerBundle + 1).ToList()));
        Assert.Throws<ArgumentOutOfRangeException>(() => BlobNames.Bundle(job, Stage.Invert, []));
    }
}
