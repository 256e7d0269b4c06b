using Pipeline.Editing.Method;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Method;

public class When_running_the_method_end_to_end : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pack-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Should_take_the_elementwise_max_of_the_step_masks_and_compose_the_last_edit_with_the_input()
    {
        TinyModelPack.Create(_dir);
        using var models = EditModels.Load(_dir);
        var method = new EditMethod(models, new MethodOptions());
        using var images = TinyModelPack.Images(2);
        var edits = new[] { new AttributeEdit("smile", 1), new AttributeEdit("eyeglasses", -1) };
        using var r = method.Run(images, edits);

        Assert.Equal(2, r.StepMasks.Count);
        using var max = maximum(r.StepMasks[0], r.StepMasks[1]);
        Assert.True(r.Mask.equal(max).all().item<bool>(), "final mask must be the element-wise max of the step masks");
        Assert.True(r.Mask.min().item<float>() >= 0 && r.Mask.max().item<float>() <= 1);
        using var coarse = r.Edited[1] * r.Mask + images * (1 - r.Mask);
        Assert.True(r.Coarse.allclose(coarse, rtol: 0, atol: 1e-6), "coarse must be T_r·M + I·(1−M)");
        Assert.Equal(new long[] { 2, 3, 32, 32 }, r.Final.shape);
        Assert.True(r.Final.isfinite().all().item<bool>());

        // Step 2 compares T_1 with T_2, not with the inversion: recomputing it from (T_1, T_2) gives the same mask.
        using var step2 = method.DiffCam.Mask(r.Edited[0], r.Edited[1], new long[] { 1, 1 });
        Assert.True(step2.Mask.equal(r.StepMasks[1]).all().item<bool>());
    }

    [Fact]
    public void Should_be_deterministic_with_stored_or_seeded_noise_and_vary_with_the_seed()
    {
        TinyModelPack.Create(_dir);
        using var models = EditModels.Load(_dir);
        using var images = TinyModelPack.Images(1);
        var edits = new[] { new AttributeEdit("smile", 1) };
        using var a = new EditMethod(models, new MethodOptions()).Run(images, edits);
        using var b = new EditMethod(models, new MethodOptions()).Run(images, edits);
        Assert.True(a.Final.equal(b.Final).all().item<bool>());
        using var s1 = new EditMethod(models, new MethodOptions { Noise = NoiseMode.Seeded, Seed = 5 }).Run(images, edits);
        using var s2 = new EditMethod(models, new MethodOptions { Noise = NoiseMode.Seeded, Seed = 5 }).Run(images, edits);
        using var s3 = new EditMethod(models, new MethodOptions { Noise = NoiseMode.Seeded, Seed = 6 }).Run(images, edits);
        Assert.True(s1.Inversion.equal(s2.Inversion).all().item<bool>());
        Assert.False(s1.Inversion.equal(s3.Inversion).all().item<bool>());
    }

    [Fact]
    public void Should_refuse_unknown_attributes_nan_strengths_and_tampered_files()
    {
        TinyModelPack.Create(_dir);
        using (var models = EditModels.Load(_dir))
        {
            var method = new EditMethod(models, new MethodOptions());
            using var images = TinyModelPack.Images(1);
            var e = Assert.Throws<UnknownAttributeException>(() => method.Run(images, new[] { new AttributeEdit("hat", 1) }));
            Assert.Contains("hat", e.Message);
            Assert.Contains("smile", e.Message);
            Assert.Throws<ArgumentException>(() => method.Run(images, new[] { new AttributeEdit("smile", double.NaN) }));
        }
        File.AppendAllText(Path.Combine(_dir, "directions", "smile.npy"), "x");
        var bad = Assert.ThrowsAny<Exception>(() => EditModels.Load(_dir));
        Assert.Contains("sha256", bad.Message);
    }
}
