using System.Diagnostics;
using Pipeline.Editing.Metrics.Fid;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Metrics;

public class When_computing_the_frechet_distance(ITestOutputHelper output)
{
    [Fact]
    public void Should_give_the_closed_form_for_commuting_covariances()
    {
        // Diagonal covariances commute: d² = |Δμ|² + Σ (√a − √b)².
        var a = new double[] { 4, 1, 9 };
        var b = new double[] { 1, 1, 16 };
        using var mu1 = tensor(new double[] { 0, 1, 2 });
        using var mu2 = tensor(new double[] { 1, 1, 0 });

        var r = FrechetDistance.Compute(mu1, diag(tensor(a)), mu2, diag(tensor(b)));

        double expected = 1 + 4 + a.Zip(b).Sum(p => Math.Pow(Math.Sqrt(p.First) - Math.Sqrt(p.Second), 2));
        Assert.Equal(expected, r.Value, 12);
        Assert.False(r.UsedEpsOffset);
    }

    [Fact]
    public void Should_be_zero_between_a_set_and_itself_even_when_the_covariance_is_singular()
    {
        manual_seed(3);
        using var feats = randn(10, 64, dtype: ScalarType.Float64);   // N < D: rank 9
        using var stats = new FeatureStatistics(64);
        stats.Add(feats);
        var (mu, sigma) = stats.MeanAndCovariance();

        var r = FrechetDistance.Compute(mu, sigma, mu, sigma);

        Assert.True(Math.Abs(r.Value) < 1e-9 * r.TraceSigma1, $"FID of a set with itself is {r.Value}");
    }

    [Fact]
    public void Should_take_pytorch_fid_s_eps_retry_only_for_a_coupled_pair_of_one_sided_dead_features()
    {
        manual_seed(5);
        using var f1 = randn(30, 16, dtype: ScalarType.Float64);
        using var f2 = randn(30, 16, dtype: ScalarType.Float64);
        f1[.., 3] = tensor(0.0);
        var (mu1, s1) = Stats(f1);
        var (mu2, s2) = Stats(f2);
        Assert.False(FrechetDistance.Compute(mu1, s1, mu2, s2).UsedEpsOffset);   // dead in one set only: no coupled pair

        f2[.., 7] = tensor(0.0);
        var (mu2b, s2b) = Stats(f2);
        Assert.True(FrechetDistance.Compute(mu1, s1, mu2b, s2b).UsedEpsOffset);

        f2[.., 3] = tensor(0.0);
        f1[.., 7] = tensor(0.0);
        var (mu1c, s1c) = Stats(f1);
        var (mu2c, s2c) = Stats(f2);
        Assert.False(FrechetDistance.Compute(mu1c, s1c, mu2c, s2c).UsedEpsOffset);  // dead in both sets: decoupled
    }

    [Fact]
    public void Should_stream_the_statistics_to_numpy_s_mean_and_covariance_and_survive_a_save()
    {
        manual_seed(9);
        using var feats = randn(37, 8, dtype: ScalarType.Float64) * 3 + 100;
        using var streamed = new FeatureStatistics(8);
        for (long i = 0; i < 37; i += 5) streamed.Add(feats.narrow(0, i, Math.Min(5, 37 - i)));
        var path = Path.Combine(Path.GetTempPath(), $"stats-{Guid.NewGuid():N}.safetensors");
        try
        {
            streamed.Save(path);
            using var reloaded = FeatureStatistics.Load(path);
            var (mu, sigma) = reloaded.MeanAndCovariance();

            var centred = feats - feats.mean([0]);
            var cov = centred.t().matmul(centred) / 36;
            Assert.Equal(37, reloaded.Count);
            Assert.True(mu.allclose(feats.mean([0]), rtol: 1e-14, atol: 0));
            Assert.True(sigma.allclose(cov, rtol: 1e-12, atol: 1e-12));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Should_compute_a_2048_dimensional_distance_in_seconds()
    {
        manual_seed(11);
        using var a = randn(300, 2048, dtype: ScalarType.Float64);
        using var b = randn(300, 2048, dtype: ScalarType.Float64) * 1.1;
        var (mu1, s1) = Stats(a);
        var (mu2, s2) = Stats(b);

        var sw = Stopwatch.StartNew();
        var r = FrechetDistance.Compute(mu1, s1, mu2, s2);
        output.WriteLine($"2048-d Fréchet distance: {sw.Elapsed.TotalSeconds:0.00} s");

        // Exact value from the centred features: tr sqrt(S1 S2) = Σ σ(A Bᵀ)/√((N1−1)(N2−1)).
        var ca = a - a.mean([0]);
        var cb = b - b.mean([0]);
        double trExact = linalg.svdvals(ca.matmul(cb.t())).sum().item<double>() / 299;
        Assert.Equal(trExact, r.TraceCovMean, 6);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(60), $"took {sw.Elapsed}");
    }

    static (Tensor Mu, Tensor Sigma) Stats(Tensor feats)
    {
        using var s = new FeatureStatistics(feats.shape[1]);
        s.Add(feats);
        return s.MeanAndCovariance();
    }
}
