using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.DiffCam;
using Pipeline.Editing.Tests.Method;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Directions;

public class When_masking_a_direction_the_DA_module_does_not_know : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("dirmask-").FullName;
    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>The tiny pack with a third direction, 'new', which the DA module has no class for; its mask is <paramref name="mask"/>.</summary>
    string PackWithNewDirection(string? mask, double[]? mixOfSmileAndEyeglasses = null)
    {
        var dir = Path.Combine(_root, mask ?? "none");
        var manifest = TinyModelPack.Create(dir);
        var (a, b) = mixOfSmileAndEyeglasses is { } m ? (m[0], m[1]) : (0.0, 1.0);
        using (var smile = Pipeline.Editing.Checkpoints.NpyFile.Read(Path.Combine(dir, "directions/smile.npy")))
        using (var glasses = Pipeline.Editing.Checkpoints.NpyFile.Read(Path.Combine(dir, "directions/eyeglasses.npy")))
        using (var mix = smile * a + glasses * b)
            ModelPackWriter.SaveDirection(Path.Combine(dir, "directions/new.npy"), mix);
        var entries = manifest.Directions.Append(new DirectionEntry { Name = "new", File = "directions/new.npy", UnitStrength = 3, Mask = mask }).ToList();
        ModelPackWriter.WriteManifest(dir, manifest with { Directions = entries });
        return dir;
    }

    [Theory]
    [InlineData("nearest")]
    [InlineData("agnostic")]
    [InlineData("smile")]
    [InlineData(null)]
    public void Should_give_every_mask_option_a_mask_in_0_1_of_the_image_size(string? mask)
    {
        var pack = PackWithNewDirection(mask);
        var log = new List<string>();
        using var models = EditModels.Load(pack, log.Add);
        using var images = TinyModelPack.Images(2);
        using var result = new EditMethod(models, new MethodOptions { SkipDeghosting = true }).Run(images, new[] { new AttributeEdit("new", 1) });
        Assert.Equal(new long[] { 2, 1, TinyModelPack.ImageSize, TinyModelPack.ImageSize }, result.Mask.shape);
        Assert.True(result.Mask.min().item<float>() >= 0 && result.Mask.max().item<float>() <= 1);
        Assert.Contains(log, l => l.StartsWith("mask of 'new':", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_say_in_the_load_log_when_a_new_direction_silently_shares_a_trained_class()
    {
        var log = new List<string>();
        using var models = EditModels.Load(PackWithNewDirection(null), log.Add);
        // No class_index in the manifest reads as class 0: smile's.
        Assert.Contains(log, l => l.Contains("'new'") && l.Contains("class 0") && l.Contains("shares with 'smile'"));
        Assert.Equal(0, models.Direction("new").Mask.Target);
    }

    [Fact]
    public void Should_borrow_the_class_of_the_trained_direction_nearest_by_cosine()
    {
        using var nearSmile = EditModels.Load(PackWithNewDirection("nearest", [1.0, 0.2]));
        using var nearGlasses = EditModels.Load(PackWithNewDirection("eyeglasses", [0.2, -1.0]) is var p ? MakeNearest(p) : "");
        Assert.Equal(0, nearSmile.Direction("new").Mask.Target);
        Assert.Equal(1, nearGlasses.Direction("new").Mask.Target);   // the sign of the edit does not matter
        Assert.Equal(DirectionMaskKind.BorrowedClass, nearGlasses.Direction("new").Mask.Kind);
    }

    static string MakeNearest(string pack)
    {
        var path = Path.Combine(pack, ModelPackManifest.FileName);
        var m = ModelPackManifest.Read(path);
        m.Directions[^1] = m.Directions[^1] with { Mask = DirectionMask.Nearest };
        m.Write(path);
        return pack;
    }

    static string WithAgnosticGain(string pack, double gain)
    {
        var path = Path.Combine(pack, ModelPackManifest.FileName);
        var m = ModelPackManifest.Read(path);
        (m with { DiffCam = m.DiffCam with { AgnosticMaskGain = gain } }).Write(path);
        return pack;
    }

    [Fact]
    public void Should_scale_the_agnostic_mask_by_the_packs_gain_and_clip_it_at_1()
    {
        using var images = TinyModelPack.Images(2);
        var edit = new[] { new AttributeEdit("new", 1) };
        var options = new MethodOptions { SkipDeghosting = true };
        using var plain = EditModels.Load(PackWithNewDirection("agnostic"));
        using var plainResult = new EditMethod(plain, options).Run(images, edit);
        using var doubled = EditModels.Load(WithAgnosticGain(PackWithNewDirection("agnostic"), 2));
        using var doubledResult = new EditMethod(doubled, options).Run(images, edit);

        using var expected = (plainResult.Mask * 2).clamp_max(1);
        Assert.True(doubledResult.Mask.allclose(expected, rtol: 0, atol: 1e-6), "gain 2 should give min(1, 2·mask)");
        Assert.True((plainResult.Mask > 0.5).logical_and(plainResult.Mask < 1).any().item<bool>() || (plainResult.Mask > 0).logical_and(plainResult.Mask < 0.5).any().item<bool>(),
            "the plain mask should have values the gain moves");
    }

    [Fact]
    public void Should_refuse_an_agnostic_gain_below_1()
    {
        var pack = WithAgnosticGain(PackWithNewDirection("agnostic"), 0.5);
        var e = Assert.Throws<InvalidDataException>(() => EditModels.Load(pack));
        Assert.Contains("agnostic_mask_gain", e.Message);
    }

    [Fact]
    public void Should_refuse_a_mask_naming_no_trained_direction()
    {
        var e = Assert.Throws<InvalidDataException>(() => EditModels.Load(PackWithNewDirection("beard")));
        Assert.Contains("'new'", e.Message);
        Assert.Contains("beard", e.Message);
    }

    [Fact]
    public void Should_make_the_agnostic_mask_respond_to_the_changed_region()
    {
        manual_seed(5);
        using var model = new Pipeline.Editing.Networks.DiffCam.DiffCam(new DiffCamConfig(ResNetLayout.ForDepth(18, 8), 2, 1));
        model.eval();
        using var before = TinyModelPack.Images(2, seed: 3);
        using var big = nn.functional.interpolate(before, new long[] { 128, 128 }, mode: InterpolationMode.Bilinear, align_corners: false);
        using var after = big.clone();
        after[.., .., 80..120, 8..48] = after[.., .., 80..120, 8..48].neg();                  // a change in the lower left only
        using var pair = cat(new[] { big, after }, 1);
        var (mask, degenerate) = ActivationDifferenceMask.Compute(model, pair);
        using var _ = mask;
        Assert.Equal(new long[] { 2, 128, 128 }, mask.shape);
        Assert.All(degenerate, d => Assert.False(d));
        Assert.True(mask.min().item<float>() >= 0 && mask.max().item<float>() <= 1);
        using var region = zeros(128, 128, dtype: ScalarType.Bool);
        region[80..120, 8..48] = tensor(true);
        for (int i = 0; i < 2; i++)
        {
            double inside = mask[i].masked_select(region).mean().item<float>();
            double outside = mask[i].masked_select(region.logical_not()).mean().item<float>();
            Assert.True(inside > outside + 0.2, $"sample {i}: mean mask {inside:0.000} in the changed region, {outside:0.000} outside");
        }
    }
}
