using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Hosting.Workers;
using Pipeline.Workers.Deghost;
using Pipeline.Workers.DiffCam;
using Pipeline.Workers.Invert;

namespace Pipeline.TestWorkers;

/// <summary>Registration of the deterministic test processors and the calls they received (for idempotency tests).</summary>
public static class TestProcessors
{
    public static readonly string[] KnownAttributes = ["age", "smile", "glasses", "pose"];

    public static Stage StageFrom(IConfiguration configuration) =>
        configuration.GetSection(nameof(TestProcessorOptions)).Get<TestProcessorOptions>()?.Stage ?? Stage.Invert;

    /// <summary>The product's hosting of a stage (its consumer and definition), which the test processors plug into.</summary>
    public static StageWorker WorkerOf(Stage stage) => stage switch
    {
        Stage.Invert => new InvertWorker(),
        Stage.DiffCam => new DiffCamWorker(),
        Stage.Deghost => new DeghostWorker(),
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "unknown stage"),
    };

    public static IServiceCollection AddTestProcessors(this IServiceCollection services, params Stage[] stages)
    {
        services.AddOptions<TestProcessorOptions>().BindConfiguration(nameof(TestProcessorOptions));
        services.AddSingleton<ProcessorCalls>();
        foreach (var stage in stages)
        {
            _ = stage switch
            {
                Stage.Invert => services.AddSingleton<IInvertProcessor, TestInvertProcessor>(),
                Stage.DiffCam => services.AddSingleton<IDiffCamProcessor, TestDiffCamProcessor>(),
                Stage.Deghost => services.AddSingleton<IDeghostProcessor, TestDeghostProcessor>(),
                _ => throw new ArgumentOutOfRangeException(nameof(stages)),
            };
        }
        return services;
    }

    internal static async Task SimulateWorkAsync(TestProcessorOptions options, Stage stage, int items, ProcessorCalls calls,
        IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        if (options.StallBatchesOf == stage && calls.NextStall() <= options.StalledBatches)
        {
            // A stalled batch ends when the host stops, so a test does not wait out the host's shutdown timeout.
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
            await Task.Delay(options.Stall, stall.Token);
        }
        if (options.FailEveryBatchOf == stage)
            throw new InvalidOperationException($"the {stage} test processor is told to fail every batch");
        if (options.DelayPerItem > TimeSpan.Zero)
            await Task.Delay(options.DelayPerItem * items, cancellationToken);
    }
}

/// <summary>How many items each test processor was asked to compute.</summary>
public sealed class ProcessorCalls
{
    private int _invert, _invertBatches, _diffCam, _deghost, _stalls;

    public int Invert => Volatile.Read(ref _invert);
    /// <summary>Calls of the invert processor (one per batch).</summary>
    public int InvertBatches => Volatile.Read(ref _invertBatches);
    public int DiffCam => Volatile.Read(ref _diffCam);
    public int Deghost => Volatile.Read(ref _deghost);
    /// <summary>Batches of <see cref="TestProcessorOptions.StallBatchesOf"/>'s stage that reached the processor.</summary>
    public int StallCandidates => Volatile.Read(ref _stalls);

    public void AddInvert(int items)
    {
        Interlocked.Add(ref _invert, items);
        Interlocked.Increment(ref _invertBatches);
    }
    public void AddDiffCam(int items) => Interlocked.Add(ref _diffCam, items);

    /// <summary>Counts the batches held by <see cref="TestProcessorOptions.StallBatchesOf"/>; returns this one's number.</summary>
    public int NextStall() => Interlocked.Increment(ref _stalls);
    public void AddDeghost(int items) => Interlocked.Add(ref _deghost, items);
}

/// <summary>Test stand-in for the invert stage: refuses what the real one would (not an image, wrong size, unknown
/// attribute) and derives its outputs deterministically from the source, the edits and the seed.</summary>
public sealed class TestInvertProcessor(IOptions<TestProcessorOptions> options, ProcessorCalls calls, IHostApplicationLifetime lifetime)
    : IInvertProcessor
{
    public Task LoadAsync(CancellationToken cancellationToken) => Task.Delay(options.Value.LoadDelay, cancellationToken);

    public async Task<IReadOnlyList<ItemOutcome<InvertOutput>>> ProcessAsync(IReadOnlyList<InvertInput> batch, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        calls.AddInvert(batch.Count);
        await TestProcessors.SimulateWorkAsync(settings, Stage.Invert, batch.Count, calls, lifetime, cancellationToken);
        return batch.Select(input => Invert(input, settings.ImageSize, settings.CrashOnSourceWidth)).ToList();
    }

    private static ItemOutcome<InvertOutput> Invert(InvertInput input, int size, int? crashOnWidth)
    {
        // Thrown, not returned: exercises the host's isolation of an item that makes a batch throw.
        if (!PngHeader.TryRead(input.Source.Span, out var width, out var height))
            throw new ArgumentException($"item {input.ItemId}: the source is not a PNG image (cannot decode it)");
        if (width == crashOnWidth)
            Environment.FailFast($"test invert processor: item {input.ItemId} is {width} pixels wide, told to crash on it");
        if (width != size || height != size)
            return ItemOutcome<InvertOutput>.Rejected(input.ItemId, $"the image is {width}×{height} pixels; this model takes {size}×{size}");
        var unknown = input.Edits.FirstOrDefault(e => !TestProcessors.KnownAttributes.Contains(e.Attribute));
        if (unknown is not null)
            return ItemOutcome<InvertOutput>.Rejected(input.ItemId,
                $"unknown attribute '{unknown.Attribute}'; known attributes: {string.Join(", ", TestProcessors.KnownAttributes)}");

        var seed = input.Options.Seed;
        var fitted = Derived.From("input", seed, input.Source);
        var latent = Derived.From("latent", seed, input.Source);
        var inversion = Derived.From("inversion", seed, latent);
        var edited = new List<Payload>();
        ReadOnlyMemory<byte> previous = latent;
        foreach (var edit in input.Edits)
        {
            var step = Derived.From($"edit:{edit.Attribute}:{edit.Strength:R}", seed, previous);
            edited.Add(new Payload(step, MediaTypes.SafeTensors));
            previous = step;
        }
        List<PngRender> pngs =
        [
            DerivedPng.Of(PngRoles.Input, fitted, size),
            DerivedPng.Of(PngRoles.Inversion, inversion, size),
            .. edited.Select((e, step) => DerivedPng.Of(PngRoles.Edited(step + 1), e.Bytes.Span, size)),
        ];
        return ItemOutcome<InvertOutput>.Done(input.ItemId,
            new InvertOutput(new Payload(latent, MediaTypes.SafeTensors), new Payload(fitted, MediaTypes.SafeTensors),
                new Payload(inversion, MediaTypes.SafeTensors), edited, pngs));
    }
}

public sealed class TestDiffCamProcessor(IOptions<TestProcessorOptions> options, ProcessorCalls calls, IHostApplicationLifetime lifetime)
    : IDiffCamProcessor
{
    public Task LoadAsync(CancellationToken cancellationToken) => Task.Delay(options.Value.LoadDelay, cancellationToken);

    public async Task<IReadOnlyList<ItemOutcome<DiffCamOutput>>> ProcessAsync(IReadOnlyList<DiffCamInput> batch, CancellationToken cancellationToken)
    {
        calls.AddDiffCam(batch.Count);
        await TestProcessors.SimulateWorkAsync(options.Value, Stage.DiffCam, batch.Count, calls, lifetime, cancellationToken);
        var size = options.Value.ImageSize;
        return batch.Select(input =>
        {
            var seed = input.Options.Seed;
            ReadOnlyMemory<byte>[] all = [input.Input.Bytes, input.Inversion.Bytes, .. input.Edited.Select(e => e.Bytes)];
            var mask = Derived.From("mask", seed, all);
            var composite = Derived.From("composite", seed, [mask, .. all]);
            return ItemOutcome<DiffCamOutput>.Done(input.ItemId,
                new DiffCamOutput(new Payload(mask, MediaTypes.SafeTensors), new Payload(composite, MediaTypes.SafeTensors),
                    [DerivedPng.Of(PngRoles.Mask, mask, size), DerivedPng.Of(PngRoles.Coarse, composite, size)]));
        }).ToList();
    }
}

public sealed class TestDeghostProcessor(IOptions<TestProcessorOptions> options, ProcessorCalls calls, IHostApplicationLifetime lifetime)
    : IDeghostProcessor
{
    public Task LoadAsync(CancellationToken cancellationToken) => Task.Delay(options.Value.LoadDelay, cancellationToken);

    public async Task<IReadOnlyList<ItemOutcome<DeghostOutput>>> ProcessAsync(IReadOnlyList<DeghostInput> batch, CancellationToken cancellationToken)
    {
        calls.AddDeghost(batch.Count);
        await TestProcessors.SimulateWorkAsync(options.Value, Stage.Deghost, batch.Count, calls, lifetime, cancellationToken);
        return batch.Select(input =>
        {
            var final = Derived.From("final", input.Options.Seed, input.Composite.Bytes);
            return ItemOutcome<DeghostOutput>.Done(input.ItemId, new DeghostOutput(new Payload(final, MediaTypes.SafeTensors),
                [DerivedPng.Of(PngRoles.Final, final, options.Value.ImageSize)]));
        }).ToList();
    }
}
