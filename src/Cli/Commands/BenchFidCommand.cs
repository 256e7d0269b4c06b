using System.CommandLine;
using System.Diagnostics;
using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Metrics.Fid;
using Pipeline.Editing.Metrics.Inception;
using Pipeline.Editing.Parity;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline bench fid</c>: FID feature extraction speed (Inception pool3 with formula weights, streamed into the
/// float64 statistics) and the time of one 2048-d Fréchet distance.
/// </summary>
public static class BenchFidCommand
{
    const int WarmupBatches = 1;
    /// <summary>Samples per set for the distance timing: more than 2048, so the covariances are full rank as in a real run.</summary>
    const int FrechetSamples = 4096;

    public static Command Create()
    {
        var threads = new Option<int>("--threads") { Description = "libtorch CPU threads", DefaultValueFactory = _ => 2 };
        var images = new Option<int>("--images") { Description = "images to extract (after one warm-up batch)", DefaultValueFactory = _ => 32 };
        var batch = new Option<int>("--batch") { Description = "images per batch", DefaultValueFactory = _ => 8 };
        var size = new Option<int>("--size") { Description = "input side (resized to 299 inside, as pytorch-fid does)", DefaultValueFactory = _ => 256 };
        var cmd = new Command("fid", "FID feature extraction images/s and the 2048-d Fréchet distance time") { threads, images, batch, size };
        cmd.SetAction(parse =>
        {
            torch.set_num_threads(parse.GetValue(threads));
            int n = parse.GetValue(images), b = parse.GetValue(batch), s = parse.GetValue(size);
            using var model = new FidInceptionV3();
            model.eval();
            FormulaWeights.Fill(ModuleState.OfficialOrder(model), new FormulaConstants(0.37, 1.1, 0.5), TorchLayerFormulaRules.For(model));
            using var stats = new FeatureStatistics(FidInceptionV3.Pool3Dims);
            using var x = rand(b, 3, s, s);
            using (inference_mode())
            {
                for (int i = 0; i < WarmupBatches; i++) { using var f = model.call(x); }
                var sw = Stopwatch.StartNew();
                for (int done = 0; done < n; done += b)
                {
                    using var f = model.call(x);
                    stats.Add(f);
                }
                double seconds = sw.Elapsed.TotalSeconds;
                Console.WriteLine($"FID feature extraction: {stats.Count / seconds:0.00} images/s ({s}² → 299², batch {b}, {parse.GetValue(threads)} threads, formula weights)");
            }
            manual_seed(0);
            using var a = randn(FrechetSamples, FidInceptionV3.Pool3Dims, dtype: ScalarType.Float64);
            using var c = randn(FrechetSamples, FidInceptionV3.Pool3Dims, dtype: ScalarType.Float64);
            using var sa = new FeatureStatistics(FidInceptionV3.Pool3Dims);
            using var sc = new FeatureStatistics(FidInceptionV3.Pool3Dims);
            sa.Add(a);
            sc.Add(c);
            var (m1, s1) = sa.MeanAndCovariance();
            var (m2, s2) = sc.MeanAndCovariance();
            var watch = Stopwatch.StartNew();
            FrechetDistance.Compute(m1, s1, m2, s2);
            Console.WriteLine($"Fréchet distance, 2048-d: {watch.Elapsed.TotalSeconds:0.00} s");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
