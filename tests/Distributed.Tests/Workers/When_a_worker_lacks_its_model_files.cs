using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Distributed.Tests.Support;
using Pipeline.Hosting.Health;
using Pipeline.Hosting.Workers;
using Pipeline.Workers.Invert;

namespace Pipeline.Distributed.Tests.Workers;

/// <summary>A worker whose model folder holds neither a manifest nor the official release files (an empty or unmounted
/// volume, a wrong Models:Directory) stays up and not ready: /health/ready and one log line name every file it looked
/// for, and it loads once they are there. Restarting would not bring the files, and a crash-looping worker hands its
/// prefetched messages back with their delivery counts raised.</summary>
public sealed class When_a_worker_lacks_its_model_files : IAsyncLifetime
{
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(100);
    private readonly TempDirectory _models = new("pipeline-models");
    private readonly TempDirectory _blobs = new("pipeline-blobs");
    private readonly ConcurrentQueue<string> _errors = new();
    private WebApplication _worker = null!;

    private string Manifest => Path.Combine(_models.Path, "manifest.json");

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Models:Directory"] = _models.Path,
            ["WorkerOptions:LoadRetryInterval"] = Retry.ToString(),
            ["BlobStorageOptions:Root"] = _blobs.Path,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddStageWorker(new InvertWorker());
        builder.Services.AddEditingInvertProcessor();
        builder.Logging.AddProvider(new ErrorCapture(_errors));
        _worker = builder.Build();
        _worker.MapHealthEndpoints();
        await _worker.StartAsync();
    }

    [Fact]
    public async Task Should_stay_up_not_ready_naming_every_file_it_looked_for()
    {
        var description = await ProcessorCheckAsync(d => d.Contains("not found"));
        var expected = new[] { "manifest.json", "pSp_ffhq_encode.pt", "e4e_ffhq_encode.pt", "diff_cam_weight.pt", "deghosting.pt" };
        foreach (var file in expected)
            Assert.Contains(Path.Combine(_models.Path, file), description);
        Assert.Contains($"(Models:Directory={_models.Path})", description);

        await Task.Delay(Retry * 10);   // ten more looks at the folder
        var ready = await _worker.GetTestClient().GetAsync(HealthEndpoints.ReadyPath);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.False(_worker.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested,
            "the worker stopped itself: it would crash-loop");
        var logged = Assert.Single(_errors);
        Assert.Contains(Path.Combine(_models.Path, "pSp_ffhq_encode.pt"), logged);
        Assert.Contains($"(Models:Directory={_models.Path})", logged);
    }

    [Fact]
    public async Task Should_name_only_the_official_files_still_missing()
    {
        File.WriteAllBytes(Path.Combine(_models.Path, "diff_cam_weight.pt"), []);
        File.WriteAllBytes(Path.Combine(_models.Path, "deghosting.pt"), []);

        var description = await ProcessorCheckAsync(d => !d.Contains("diff_cam_weight.pt") && d.Contains("not found"));

        Assert.Contains($"{Path.Combine(_models.Path, "pSp_ffhq_encode.pt")} or {Path.Combine(_models.Path, "e4e_ffhq_encode.pt")} not found (Models:Directory={_models.Path})", description);
    }

    [Fact]
    public async Task Should_load_once_the_files_are_there()
    {
        await ProcessorCheckAsync(d => d.Contains("not found"));

        // The manifest last and by rename, as an operator should: a look in between sees a folder without one.
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.DemoPack, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_models.Path, Path.GetRelativePath(RepositoryPaths.DemoPack, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target == Manifest ? target + ".part" : target);
        }
        File.Move(Manifest + ".part", Manifest);

        var loaded = await ProcessorCheckAsync(d => d.EndsWith("loaded"), TimeSpan.FromSeconds(120));
        Assert.Equal("IInvertProcessor loaded", loaded);
        Assert.Single(_errors);
    }

    /// <summary>The description of the invert processor's readiness check, once it satisfies <paramref name="until"/>.</summary>
    private async Task<string> ProcessorCheckAsync(Func<string, bool> until, TimeSpan? timeout = null)
    {
        var client = _worker.GetTestClient();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        var description = "";
        while (DateTime.UtcNow < deadline)
        {
            using var response = await client.GetAsync(HealthEndpoints.ReadyPath);
            using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            description = report.RootElement.GetProperty("checks").GetProperty("invert-processor").GetProperty("description").GetString() ?? "";
            if (until(description))
                return description;
            await Task.Delay(Retry);
        }
        Assert.Fail($"the processor check never turned as expected; last: {description}");
        return description;
    }

    public async Task DisposeAsync()
    {
        await _worker.StopAsync();
        await _worker.DisposeAsync();
        // The loader of a worker that could not load sets the process's exit code; it must not leak into the test run.
        Environment.ExitCode = 0;
        _models.Dispose();
        _blobs.Dispose();
    }

    private sealed class ErrorCapture(ConcurrentQueue<string> errors) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) =>
            categoryName.StartsWith("Pipeline.Hosting.Workers.ProcessorLoader", StringComparison.Ordinal) ? new Capturing(errors) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public void Dispose()
        {
        }

        private sealed class Capturing(ConcurrentQueue<string> errors) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                    errors.Enqueue(formatter(state, exception));
            }
        }
    }
}
