using Pipeline.Storage;

namespace Pipeline.Distributed.Tests.Storage;

/// <summary>Removing a run's container is best effort: a bench or test that ends with it must report its own outcome,
/// not an exception from the cleanup.</summary>
public sealed class When_a_run_container_is_cleaned_up
{
    [Theory]
    [InlineData("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1")]
    [InlineData("not a connection string")]
    public async Task Should_report_false_for_a_connection_string_that_is_not_one(string connectionString) =>
        Assert.False(await AzureContainerCleanup.TryDeleteAsync(connectionString, "run-container", CancellationToken.None));
}
