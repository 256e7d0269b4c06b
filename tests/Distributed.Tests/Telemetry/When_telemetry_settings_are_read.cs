using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;
using Pipeline.Hosting.Telemetry;

namespace Pipeline.Distributed.Tests.Telemetry;

/// <summary>The <c>Telemetry</c> section: a wrong value stops the host at start-up with the setting's name, and an
/// endpoint, which may carry credentials, is never echoed.</summary>
public sealed class When_telemetry_settings_are_read
{
    [Fact]
    public void Should_refuse_an_unknown_log_format_by_name()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Builder(("Telemetry:LogFormat", "xml")).AddPipelineTelemetry());
        Assert.Contains("Telemetry:LogFormat", e.Message);
        Assert.Contains("'json'", e.Message);
    }

    [Fact]
    public void Should_refuse_an_endpoint_that_is_not_a_uri_without_echoing_it()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            Builder(("Telemetry:OtlpEndpoint", "collector:4317?token=s3cr3t")).AddPipelineTelemetry());
        Assert.Contains("Telemetry:OtlpEndpoint", e.Message);
        Assert.DoesNotContain("s3cr3t", e.Message);
    }

    [Fact]
    public void Should_export_over_otlp_only_when_an_endpoint_is_set()
    {
        var quiet = Builder(("Telemetry:LogFormat", "json"));
        quiet.AddPipelineTelemetry();
        using (var host = quiet.Build())
            Assert.NotNull(host.Services.GetService<TracerProvider>());
        Assert.False(HasOtlp(quiet.Services));

        var exporting = Builder(("Telemetry:OtlpEndpoint", "http://127.0.0.1:4317"));
        exporting.AddPipelineTelemetry();
        Assert.True(HasOtlp(exporting.Services));
    }

    private static bool HasOtlp(IServiceCollection services) =>
        services.Any(d => $"{d.ServiceType.FullName} {d.ImplementationType?.FullName}".Contains("Otlp", StringComparison.Ordinal));

    private static HostApplicationBuilder Builder(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        return builder;
    }
}
