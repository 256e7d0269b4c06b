using System.Diagnostics;
using Pipeline.Editing.Parity;
using Xunit.Abstractions;

namespace Pipeline.Editing.Tests.Metrics;

public class When_running_the_metrics_parity_tree(ITestOutputHelper output)
{
    [Fact]
    public void Should_pass_every_tensor_and_every_FID_value_of_every_folder()
    {
        var sw = Stopwatch.StartNew();
        var results = new ParityRunner().Run(FixturePaths.ParityMetrics, _ => { });
        output.WriteLine($"parity-metrics: {results.Count} checks in {sw.Elapsed.TotalSeconds:0.0} s");

        Assert.Equal(["fid", "inception", "lpips", "lpips_weights"], results.Select(r => r.Folder).Distinct().Order());
        Assert.All(results, r => Assert.True(r.Pass, $"{r.Folder}/{r.Tensor}: max_abs {r.MaxAbs} max_rel {r.MaxRel} tol {r.Tolerance} {r.Detail}"));
        Assert.Contains(results, r => r.Tensor == "degenerate_eps_32d/fid");
        Assert.Contains(results, r => r.Tensor.StartsWith("variant_s_outputs/", StringComparison.Ordinal));
    }
}
