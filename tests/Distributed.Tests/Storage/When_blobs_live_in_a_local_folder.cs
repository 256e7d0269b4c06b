using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Distributed.Tests.Support;
using Pipeline.Storage;

namespace Pipeline.Distributed.Tests.Storage;

public sealed class When_blobs_live_in_a_local_folder : IDisposable
{
    private readonly TempDirectory _folder = new("pipeline-blobs");

    private IBlobStore Store() =>
        BlobStoreRegistration.Create(new BlobStorageOptions { Kind = BlobStoreKind.LocalFolder, Root = _folder.Path }, NullLogger.Instance);

    [Fact]
    public Task Should_store_read_back_and_skip_identical_writes() => BlobStoreSpecs.Should_store_read_back_and_skip_identical_writes(Store(), "jobs/a");

    [Fact]
    public Task Should_overwrite_different_bytes_under_the_same_name() => BlobStoreSpecs.Should_overwrite_different_bytes_under_the_same_name(Store(), "jobs/a");

    [Fact]
    public Task Should_keep_the_first_bytes_when_putting_only_if_absent() =>
        BlobStoreSpecs.Should_keep_the_first_bytes_when_putting_only_if_absent(Store(), "jobs/a");

    [Fact]
    public Task Should_refuse_a_reference_whose_hash_does_not_match() => BlobStoreSpecs.Should_refuse_a_reference_whose_hash_does_not_match(Store(), "jobs/a");

    [Fact]
    public Task Should_report_a_missing_blob_as_missing() => BlobStoreSpecs.Should_report_a_missing_blob_as_missing(Store(), "jobs/a");

    [Fact]
    public Task Should_read_the_outputs_of_a_bundle_as_checked_slices() => BlobStoreSpecs.Should_read_the_outputs_of_a_bundle_as_checked_slices(Store(), "jobs/a");

    [Fact]
    public Task Should_list_and_delete_a_folder_and_nothing_beside_it() =>
        BlobStoreSpecs.Should_list_and_delete_a_folder_and_nothing_beside_it(Store(), "jobs/a");

    [Theory]
    [InlineData("../escape.png")]
    [InlineData("/etc/passwd")]
    [InlineData("jobs/./x")]
    [InlineData("jobs\\x")]
    public async Task Should_refuse_a_name_that_leaves_the_folder(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store().PutAsync(name, new byte[] { 1 }, "image/png", CancellationToken.None));
    }

    [Fact]
    public async Task Should_journal_only_writes_that_stored_bytes()
    {
        var journal = Path.Combine(_folder.Path, "writes.log");
        var store = BlobStoreRegistration.Create(
            new BlobStorageOptions { Kind = BlobStoreKind.LocalFolder, Root = Path.Combine(_folder.Path, "blobs"), WriteJournal = journal },
            NullLogger.Instance);

        await store.PutAsync("jobs/j/a.bin", new byte[] { 1 }, "application/octet-stream", CancellationToken.None);
        await store.PutAsync("jobs/j/a.bin", new byte[] { 1 }, "application/octet-stream", CancellationToken.None);
        await store.PutAsync("jobs/j/b.bin", new byte[] { 2 }, "application/octet-stream", CancellationToken.None);

        Assert.Equal(["jobs/j/a.bin", "jobs/j/b.bin"], File.ReadAllLines(journal).Select(line => line.Split(' ')[0]));
    }

    public void Dispose() => _folder.Dispose();
}
