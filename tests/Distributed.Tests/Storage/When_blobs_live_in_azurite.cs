using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Distributed.Tests.Support;
using Pipeline.Storage;

namespace Pipeline.Distributed.Tests.Storage;

/// <summary>The Azure implementation against Azurite, each test in its own container.</summary>
[Collection(RealServicesCollection.Name)]
public sealed class When_blobs_live_in_azurite
{
    private static IBlobStore Store() => BlobStoreRegistration.Create(new BlobStorageOptions
    {
        Kind = BlobStoreKind.Azure,
        ConnectionString = ServiceEnvironment.Require(ServiceVariables.Blobs),
        Container = $"test-{Guid.NewGuid():N}",
    }, NullLogger.Instance);

    [ServiceFact(ServiceVariables.Blobs)]
    public Task Should_store_read_back_and_skip_identical_writes() => BlobStoreSpecs.Should_store_read_back_and_skip_identical_writes(Store(), "jobs/a");

    [ServiceFact(ServiceVariables.Blobs)]
    public Task Should_overwrite_different_bytes_under_the_same_name() => BlobStoreSpecs.Should_overwrite_different_bytes_under_the_same_name(Store(), "jobs/a");

    [ServiceFact(ServiceVariables.Blobs)]
    public Task Should_keep_the_first_bytes_when_putting_only_if_absent() =>
        BlobStoreSpecs.Should_keep_the_first_bytes_when_putting_only_if_absent(Store(), "jobs/a");

    [ServiceFact(ServiceVariables.Blobs)]
    public Task Should_refuse_a_reference_whose_hash_does_not_match() => BlobStoreSpecs.Should_refuse_a_reference_whose_hash_does_not_match(Store(), "jobs/a");

    [ServiceFact(ServiceVariables.Blobs)]
    public Task Should_report_a_missing_blob_as_missing() => BlobStoreSpecs.Should_report_a_missing_blob_as_missing(Store(), "jobs/a");

    [ServiceFact(ServiceVariables.Blobs)]
    public Task Should_read_the_outputs_of_a_bundle_as_checked_slices() => BlobStoreSpecs.Should_read_the_outputs_of_a_bundle_as_checked_slices(Store(), "jobs/a");

    [ServiceFact(ServiceVariables.Blobs)]
    public Task Should_list_and_delete_a_folder_and_nothing_beside_it() =>
        BlobStoreSpecs.Should_list_and_delete_a_folder_and_nothing_beside_it(Store(), "jobs/a");
}
