using Pipeline.Editing.Method;
using Pipeline.Editing.Parity;
using Pipeline.Editing.Runtime;
using static TorchSharp.torch;

namespace Pipeline.Editing.Bench;

/// <summary>How a batch-size sweep runs: batches, timed runs per point, warm-ups, and the resident-memory ceiling.</summary>
public sealed record BatchSweepOptions
{
    public IReadOnlyList<int> Batches { get; init; } = [1, 2, 4, 8];
    public IReadOnlyList<string> Stages { get; init; } = BatchSweep.StageNames;
    public int Runs { get; init; } = 3;
    public int Warmup { get; init; } = 1;

    /// <summary>Warm up only before a stage's first (smallest) batch: the larger batches then reuse a warm process, which
    /// saves the untimed runs where one costs tens of seconds (the official configurations on a shared machine).</summary>
    public bool WarmupFirstBatchOnly { get; init; }

    /// <summary>Batches above this are skipped per stage, with the reason (time budget), e.g. Deghosting at 1024².</summary>
    public IReadOnlyDictionary<string, int> MaxBatchPerStage { get; init; } = new Dictionary<string, int>();

    /// <summary>A point whose projected peak resident memory exceeds this is skipped, with the projection as reason.</summary>
    public long MaxMemoryBytes { get; init; } = 16L << 30;
}

/// <summary>One (stage, batch) point: the median time of one batch, per image and as throughput, and its memory peak.</summary>
/// <remarks><see cref="CpuMsPerImage"/> is the process's CPU time over the timed runs per image: on a shared machine it
/// depends far less on the other jobs than wall time does (it still counts the thread pool's spinning).</remarks>
public sealed record BatchSweepRow(string Config, string Stage, int Batch, double MedianMs, double MinMs, long PeakRssBytes, int Runs, string? SkipReason,
    double CpuMsPerImage = 0)
{
    public bool Skipped => SkipReason is not null;
    public double MsPerImage => MedianMs / Batch;
    public double ImagesPerSecond => MedianMs > 0 ? Batch * 1000.0 / MedianMs : 0;
}

/// <summary>
/// Time per image of each stage of the method against the batch size, on one model pack: invert (pSp encoder and the
/// generator), edit (one generator pass from an edited W+), diffcam (face pooling, DiffCam and the closed-form mask,
/// upsampled) and deghost. The stages are the ones <see cref="EditMethod"/> and the workers call. Inputs are
/// deterministic formula tensors of the pack's sizes (speed does not depend on the values), copied to the batch.
/// </summary>
public static class BatchSweep
{
    public const string Invert = "invert";
    public const string Edit = "edit";
    public const string DiffCam = "diffcam";
    public const string Deghost = "deghost";
    public static readonly IReadOnlyList<string> StageNames = [Invert, Edit, DiffCam, Deghost];

    static readonly FormulaConstants Formula = new(0.37, 1.1, 0.5);
    const long ImageInputId = 10010;
    const long EditedInputId = 10030;
    const long LatentInputId = 10011;
    const double EditStrength = 1.0;
    const double BytesPerGb = 1 << 30;

    public static List<BatchSweepRow> Run(string config, EditModels models, BatchSweepOptions options, Action<string>? progress = null)
    {
        foreach (var s in options.Stages)
            if (!StageNames.Contains(s)) throw new ArgumentException($"unknown stage '{s}' (known: {string.Join(", ", StageNames)})");
        if (options.Batches.Count == 0 || options.Batches.Any(b => b < 1)) throw new ArgumentException("batch sizes must be at least 1");
        if (options.Runs < 1) throw new ArgumentException($"runs must be at least 1, got {options.Runs}");
        var direction = models.Directions.Values.FirstOrDefault() ?? throw new ArgumentException($"model pack '{models.Manifest.Name}' has no direction to edit with");
        var method = new EditMethod(models, new MethodOptions());
        int size = models.ImageSize;
        using var image = FormulaWeights.Input(Formula, ImageInputId, [1, 3, size, size]).clamp(Scalars.MinusOne, Scalars.One);
        using var editedImage = FormulaWeights.Input(Formula, EditedInputId, [1, 3, size, size]).clamp(Scalars.MinusOne, Scalars.One);
        using var latent = FormulaWeights.Input(Formula, LatentInputId, [1, models.Psp.Config.NStyles, models.Psp.Config.StyleDim]);

        var rows = new List<BatchSweepRow>();
        using var _ = inference_mode();
        foreach (var stage in options.Stages)
        {
            double? bytesPerImage = null;
            bool first = true;
            foreach (int b in options.Batches.Distinct().Order())
            {
                if (options.MaxBatchPerStage.TryGetValue(stage, out int maxBatch) && b > maxBatch)
                {
                    var reason = $"not run: batches above {maxBatch} of this stage were left out to fit the time budget";
                    rows.Add(new BatchSweepRow(config, stage, b, 0, 0, 0, 0, reason));
                    progress?.Invoke($"{config} {stage} batch {b}: skipped, {reason}");
                    continue;
                }
                using var images = Repeat(image, b);
                using var edited = Repeat(editedImage, b);
                using var w = Repeat(latent, b);
                var targets = Enumerable.Repeat((long)direction.ClassIndex, b).ToArray();
                Action run = stage switch
                {
                    Invert => () => method.Invert.Invert(images).Dispose(),
                    Edit => () => { var (l, t) = method.Invert.Edit(w, direction, EditStrength); l.Dispose(); t.Dispose(); },
                    DiffCam => () => method.DiffCam.Mask(images, edited, targets).Dispose(),
                    _ => () => method.Deghost.Deghost(edited).Dispose(),
                };

                GC.Collect(); GC.WaitForPendingFinalizers();
                long baseline = ProcessMemory.ResidentBytes();
                double projected = baseline + (bytesPerImage ?? 0) * b;
                if (projected > options.MaxMemoryBytes)
                {
                    var reason = bytesPerImage is null
                        ? $"resident memory {baseline / BytesPerGb:0.0} GB before the run already exceeds the {options.MaxMemoryBytes / BytesPerGb:0.0} GB limit"
                        : $"projected peak {projected / BytesPerGb:0.0} GB (resident {baseline / BytesPerGb:0.0} GB + {bytesPerImage.Value / BytesPerGb:0.00} GB per image measured at a smaller batch) exceeds the {options.MaxMemoryBytes / BytesPerGb:0.0} GB limit";
                    rows.Add(new BatchSweepRow(config, stage, b, 0, 0, 0, 0, reason));
                    progress?.Invoke($"{config} {stage} batch {b}: skipped, {reason}");
                    continue;
                }

                bool peakReset = ProcessMemory.TryResetPeak();
                int warmups = first || !options.WarmupFirstBatchOnly ? options.Warmup : 0;
                for (int i = 0; i < warmups; i++) InScope(run);
                var cpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
                var timing = Timing.Measure(() => InScope(run), 0, options.Runs);
                double cpuMsPerImage = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / (options.Runs * b);
                first = false;
                long peak = peakReset ? ProcessMemory.PeakResidentBytes() : ProcessMemory.ResidentBytes();
                // The per-image working memory, kept at its largest (a batch-1 point also carries fixed workspaces,
                // so the projection errs on the side of skipping).
                double perImage = Math.Max(0, peak - baseline) / (double)b;
                bytesPerImage = Math.Max(bytesPerImage ?? 0, perImage);
                rows.Add(new BatchSweepRow(config, stage, b, timing.MedianMs, timing.MinMs, peak, options.Runs, null, cpuMsPerImage));
                progress?.Invoke($"{config} {stage} batch {b}: {timing.MedianMs / b:0.0} ms/image, {b * 1000.0 / timing.MedianMs:0.00} images/s, CPU {cpuMsPerImage:0.0} ms/image, peak RSS {peak / 1048576.0:0} MB");
            }
        }
        return rows;
    }

    static void InScope(Action run)
    {
        using var scope = NewDisposeScope();
        run();
    }

    static Tensor Repeat(Tensor one, int batch)
    {
        var shape = one.shape.ToArray();
        shape[0] = batch;
        return one.expand(shape).contiguous();
    }
}
