namespace Pipeline.Distributed.Tests.Support;

/// <summary>Connection settings of the real services, exported by <c>deploy/local/services.sh</c>
/// (<c>pipeline_services_start</c>), which <c>.ci/run</c> sources before the tests.</summary>
public static class ServiceEnvironment
{
    public static string? Postgres => Environment.GetEnvironmentVariable("PIPELINE_POSTGRES");
    public static string? RabbitMq => Environment.GetEnvironmentVariable("PIPELINE_RABBITMQ");
    public static string? Blobs => Environment.GetEnvironmentVariable("PIPELINE_BLOBS");

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static IEnumerable<string> Missing(params string[] variables) =>
        variables.Where(v => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v)));

    /// <summary>Fails the test with a clear message when a service is missing (in CI they must be there).</summary>
    public static string Require(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set: start the services with `source deploy/local/services.sh && pipeline_services_start` (.ci/run does)");
}

/// <summary>A test that needs real services. Skipped on a developer machine without them; in CI (CI=true) it runs and
/// fails, because a missing service there is a broken CI setup, not a reason to pass.</summary>
public sealed class ServiceFactAttribute : FactAttribute
{
    public ServiceFactAttribute(params string[] variables)
    {
        var missing = ServiceEnvironment.Missing(variables).ToList();
        if (missing.Count > 0 && !ServiceEnvironment.IsCi)
            Skip = $"needs the local services ({string.Join(", ", missing)} not set): start them with " +
                   "`source deploy/local/services.sh && pipeline_services_start`, or run `bash .ci/run`";
    }
}

public static class ServiceVariables
{
    public const string Postgres = "PIPELINE_POSTGRES";
    public const string RabbitMq = "PIPELINE_RABBITMQ";
    public const string Blobs = "PIPELINE_BLOBS";
}
