using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Distributed.Tests.Support;
using Pipeline.Launcher.Faults;
using Pipeline.Storage;

namespace Pipeline.Distributed.Tests.Storage;

/// <summary>The blob proxy of the fault suite in front of Azurite: requests pass unchanged, every write is recorded,
/// and a bundle written with other bytes is reported as written twice.</summary>
[Collection(RealServicesCollection.Name)]
public sealed class When_blobs_pass_the_fault_proxy
{
    private const string Bundle = "jobs/j/items/000000/invert/outputs.bundle";

    private static IBlobStore Store(string connectionString, string container) => BlobStoreRegistration.Create(new BlobStorageOptions
    {
        Kind = BlobStoreKind.Azure,
        ConnectionString = connectionString,
        Container = container,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        RetryMaxDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryAttempts = 40,
    }, NullLogger.Instance);

    [ServiceFact(ServiceVariables.Blobs)]
    public async Task Should_record_each_write_and_report_a_bundle_whose_bytes_changed()
    {
        var container = $"test-{Guid.NewGuid():N}";
        await using var proxy = await BlobFaultProxy.StartAsync(ServiceEnvironment.Require(ServiceVariables.Blobs));
        var store = Store(proxy.ConnectionString, container);
        try
        {
            var first = await store.PutAsync(Bundle, Encoding.UTF8.GetBytes("one"), StageBundle.ContentType, CancellationToken.None);
            await store.PutAsync(Bundle, Encoding.UTF8.GetBytes("one"), StageBundle.ContentType, CancellationToken.None);
            Assert.Equal((1, 0, 0), (proxy.Writes.Bundles, proxy.Writes.Rewritten().Count, proxy.Writes.Doubled().Count));
            Assert.Equal("one"u8.ToArray(), await store.GetAsync(first.Blob, CancellationToken.None));

            await store.PutAsync(Bundle, Encoding.UTF8.GetBytes("two"), StageBundle.ContentType, CancellationToken.None);
            Assert.Equal([Bundle], proxy.Writes.Doubled());
        }
        finally
        {
            await AzureContainerCleanup.TryDeleteAsync(ServiceEnvironment.Require(ServiceVariables.Blobs), container, CancellationToken.None);
        }
    }

    [ServiceFact(ServiceVariables.Blobs)]
    public async Task Should_fail_and_delay_requests_during_a_storm_and_still_store_every_blob_once()
    {
        var container = $"test-{Guid.NewGuid():N}";
        await using var proxy = await BlobFaultProxy.StartAsync(ServiceEnvironment.Require(ServiceVariables.Blobs));
        var store = Store(proxy.ConnectionString, container);
        try
        {
            proxy.StartStorm(new StormSettings(Seed: 3, MinDelaySeconds: 0.01, MaxDelaySeconds: 0.05));
            var blobs = new List<Contracts.BlobRef>();
            for (var i = 0; i < 20; i++)
                blobs.Add((await store.PutAsync($"jobs/j/items/{i:D6}/invert/outputs.bundle", new byte[] { (byte)i }, StageBundle.ContentType, CancellationToken.None)).Blob);
            proxy.StopStorm();

            var counters = proxy.Counters;
            Assert.True(counters.FailedBeforeForwarding > 0 && counters.FailedAfterForwarding > 0 && counters.Delayed > 0, counters.ToString());
            Assert.Equal((20, 0), (proxy.Writes.Bundles, proxy.Writes.Doubled().Count));
            foreach (var blob in blobs)
                Assert.Equal(blob.Length, (await store.GetAsync(blob, CancellationToken.None)).Length);
        }
        finally
        {
            await AzureContainerCleanup.TryDeleteAsync(ServiceEnvironment.Require(ServiceVariables.Blobs), container, CancellationToken.None);
        }
    }
}
