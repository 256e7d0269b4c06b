using System.Diagnostics;
using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.Deghosting;
using Pipeline.Editing.Networks.DiffCam;
using Pipeline.Editing.Networks.Psp;
using Pipeline.Editing.Networks.StyleGan2;
using Pipeline.Editing.Parity;
using Pipeline.Editing.Parity.Fixtures;
using Pipeline.Editing.Parity.Rules;
using static TorchSharp.torch;

namespace Pipeline.Editing.Bench;

/// <summary>
/// One optimisation measured against its baseline in the same process: median wall and process-CPU milliseconds, and
/// optimised / baseline for both (CPU time is the steadier figure on a shared machine: waiting for a core costs none).
/// </summary>
public sealed record OptimisationResult(string Name, string Baseline, string Optimised, Measured BaselineTime, Measured OptimisedTime, int Runs, string Check)
{
    public double Ratio => OptimisedTime.WallMs / BaselineTime.WallMs;
    public double CpuRatio => OptimisedTime.CpuMs / BaselineTime.CpuMs;
}

/// <summary>Median wall-clock and process CPU (user + system, all threads) milliseconds of one side.</summary>
public sealed record Measured(double WallMs, double CpuMs);

/// <summary>
/// The optimisations of the method, each against the behaviour it replaces, at the official configurations with formula
/// weights (<see cref="OfficialNetworkCases"/>): closed-form vs autograd Diff-CAM, deghosting without vs with the final
/// RGB the reference discards, one pSp inversion shared by 4 edits vs 4 inversions, and a generator batch of 4 vs 4
/// passes of 1. Baseline and optimised runs alternate, so load changes on a shared machine hit both alike.
/// </summary>
public static class OptimisationBenchmark
{
    public const int EditsPerImage = 4;
    public const int BatchSize = 4;
    static readonly long[] DiffCamTargets = [7];

    public static IReadOnlyList<string> Names { get; } = new[] { "diffcam", "deghost_rgb", "shared_inversion", "batching" };

    public static OptimisationResult Measure(string name, int runs, Action<string> log)
    {
        if (runs < 1) throw new ArgumentException($"runs must be at least 1, got {runs}");
        // Each case builds its networks first and enters inference mode afterwards: parameters created in inference
        // mode would be inference tensors, which the autograd Diff-CAM baseline may not use.
        return name switch
        {
            "diffcam" => DiffCamWeighting(runs, log),
            "deghost_rgb" => DeghostFinalRgb(runs, log),
            "shared_inversion" => SharedInversion(runs, log),
            "batching" => GeneratorBatching(runs, log),
            _ => throw new ArgumentException($"unknown optimisation '{name}' (known: {string.Join(", ", Names)})"),
        };
    }

    static OptimisationResult DiffCamWeighting(int runs, Action<string> log)
    {
        using var model = new DiffCam(DiffCamConfig.Official());
        FormulaWeights.Fill(ModuleState.OfficialOrder(model), OfficialNetworkCases.Formula, TorchLayerFormulaRules.For(model));
        model.eval();
        using var _ = inference_mode();
        using var x = FormulaWeights.Input(OfficialNetworkCases.Formula, 10050, new long[] { 1, 6, 256, 256 });
        string check;
        using (var a = DiffCamMask.Compute(model, x, DiffCamTargets, Method.DiffCamWeighting.Autograd))
        using (var c = DiffCamMask.Compute(model, x, DiffCamTargets, Method.DiffCamWeighting.ClosedForm))
        using (var diff = (a.Mask - c.Mask).abs().max())
            check = $"masks agree: max abs Δ = {diff.item<float>():0.0e0}";
        var (b, o) = Alternate(runs, log,
            () => { using var r = DiffCamMask.Compute(model, x, DiffCamTargets, Method.DiffCamWeighting.Autograd); },
            () => { using var r = DiffCamMask.Compute(model, x, DiffCamTargets, Method.DiffCamWeighting.ClosedForm); });
        return new OptimisationResult("diffcam", "Diff-CAM by autograd (reference hook)", "closed-form Diff-CAM (fc weights / HW)", b, o, runs, check);
    }

    static OptimisationResult DeghostFinalRgb(int runs, Action<string> log)
    {
        var config = DeghostingConfig.Official;
        using var net = new DeghostNetwork(config);
        FormulaWeights.Fill(ModuleState.OfficialOrder(net), OfficialNetworkCases.Formula, DeghostingFormulaRules.For(config));
        net.eval();
        using var _ = inference_mode();
        using var lq = FormulaWeights.Input(OfficialNetworkCases.Formula, 10020, new long[] { 1, 3, config.InSize, config.InSize });
        var (b, o) = Alternate(runs, log,
            () => { using var scope = NewDisposeScope(); net.Deghost(lq, computeFinalRgb: true); },
            () => { using var scope = NewDisposeScope(); net.Deghost(lq); });
        return new OptimisationResult("deghost_rgb", "Deghosting computing the generator's final RGB (reference)", "final RGB skipped", b, o, runs,
            "same output by construction (the RGB is discarded)");
    }

    static OptimisationResult SharedInversion(int runs, Action<string> log)
    {
        var config = new PspConfig();
        using var psp = new Psp(config);
        FormulaWeights.Fill(ModuleState.OfficialOrder(psp), OfficialNetworkCases.Formula, PspRules.For(config));
        using (var avg = FormulaWeights.Input(OfficialNetworkCases.Formula, 10011, new long[] { config.NStyles, config.StyleDim }))
            psp.SetLatentAvg(avg);
        psp.eval();
        using var _ = inference_mode();
        var directions = new List<LoadedDirection>();
        for (int i = 0; i < EditsPerImage; i++)
        {
            using var raw = FormulaWeights.Input(OfficialNetworkCases.Formula, 10012 + i, new long[] { config.NStyles, config.StyleDim });
            var d = EditDirection.FromTensor(OfficialMethodCase.Attributes[i], raw, DirectionNormalization.Frobenius);
            directions.Add(new LoadedDirection(d, EditModels.OfficialDirectionClasses[OfficialMethodCase.Attributes[i]], EditModels.OfficialAlpha, "formula"));
        }
        try
        {
            using var image = FormulaWeights.Input(OfficialNetworkCases.Formula, 10010, new long[] { 1, 3, config.OutputSize, config.OutputSize });
            var stage = new InvertStage(psp, new MethodOptions());
            var (b, o) = Alternate(runs, log,
                () =>
                {
                    foreach (var d in directions)
                    {
                        using var scope = NewDisposeScope();
                        var inversion = stage.Invert(image);
                        stage.Edit(inversion.Latent, d, 1);
                    }
                },
                () =>
                {
                    using var scope = NewDisposeScope();
                    var inversion = stage.Invert(image);
                    foreach (var d in directions) stage.Edit(inversion.Latent, d, 1);
                });
            return new OptimisationResult("shared_inversion", $"{EditsPerImage} inversions (pSp + G) each with its edit pass (G)",
                $"one inversion shared by {EditsPerImage} edit passes", b, o, runs,
                $"per image: {EditsPerImage}×(encoder + 2 G passes) vs encoder + {EditsPerImage + 1} G passes; Diff-CAM, compose and deghost are per edit either way");
        }
        finally
        {
            foreach (var d in directions) d.Direction.Dispose();
        }
    }

    static OptimisationResult GeneratorBatching(int runs, Action<string> log)
    {
        var config = new StyleGan2Config(1024);
        using var g = new StyleGan2Generator(config);
        FormulaWeights.Fill(ModuleState.OfficialOrder(g), OfficialNetworkCases.Formula, StyleGan2GeneratorRules.Rosinality(config));
        g.eval();
        using var _ = inference_mode();
        using var w = FormulaWeights.Input(OfficialNetworkCases.Formula, 10002, new long[] { BatchSize, config.NLatent, config.StyleDim });
        var noise = NoiseSource.Stored;
        string check;
        using (var one = g.Synthesize(w.narrow(0, BatchSize - 1, 1), g.NoiseFor(noise, 1, CPU)))
        using (var all = g.Synthesize(w, g.NoiseFor(noise, BatchSize, CPU)))
        using (var diff = (all.narrow(0, BatchSize - 1, 1) - one).abs().max())
            check = $"batched image equals the single pass: max abs Δ = {diff.item<float>():0.0e0}";
        var (b, o) = Alternate(runs, log,
            () =>
            {
                for (int i = 0; i < BatchSize; i++)
                {
                    using var scope = NewDisposeScope();
                    g.Synthesize(w.narrow(0, i, 1), g.NoiseFor(noise, 1, CPU));
                }
            },
            () => { using var scope = NewDisposeScope(); g.Synthesize(w, g.NoiseFor(noise, BatchSize, CPU)); });
        return new OptimisationResult("batching", $"{BatchSize} generator passes of batch 1 (StyleGAN2 1024)", $"one pass of batch {BatchSize}", b, o, runs, check);
    }

    /// <summary>One warm-up each, then baseline and optimised alternately; the medians in ms.</summary>
    static (Measured Baseline, Measured Optimised) Alternate(int runs, Action<string> log, Action baseline, Action optimised)
    {
        baseline();
        optimised();
        var b = new (double Wall, double Cpu)[runs];
        var o = new (double Wall, double Cpu)[runs];
        for (int r = 0; r < runs; r++)
        {
            b[r] = Time(baseline);
            o[r] = Time(optimised);
            log($"run {r + 1}/{runs}: baseline {b[r].Wall:0} ms ({b[r].Cpu:0} ms CPU), optimised {o[r].Wall:0} ms ({o[r].Cpu:0} ms CPU)");
        }
        return (new Measured(Timing.Median(b.Select(x => x.Wall).ToArray()), Timing.Median(b.Select(x => x.Cpu).ToArray())),
                new Measured(Timing.Median(o.Select(x => x.Wall).ToArray()), Timing.Median(o.Select(x => x.Cpu).ToArray())));
    }

    static (double Wall, double Cpu) Time(Action run)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        run();
        double wall = sw.Elapsed.TotalMilliseconds;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpu).TotalMilliseconds);
    }
}
