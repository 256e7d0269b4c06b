using System.Text.Json.Nodes;
using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.DiffCam;
using Pipeline.Editing.Parity;
using Pipeline.Editing.Parity.Fixtures;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.DiffCam;

public class When_computing_Diff_CAM
{
    const int Classes = 4;

    static Networks.DiffCam.DiffCam SmallResNet18(int seed)
    {
        manual_seed(seed);
        var model = new Networks.DiffCam.DiffCam(new DiffCamConfig(ResNetLayout.ForDepth(18), Classes, 1));
        model.eval();
        return model;
    }

    static void AssertSameCam(DiffCamResult closed, DiffCamResult autograd)
    {
        Assert.True(closed.Weights.allclose(autograd.Weights, rtol: 1e-5, atol: 1e-9), "β: fc.weight[t]/(h·w) must equal the mean gradient");
        Assert.True(closed.Cam.allclose(autograd.Cam, rtol: 1e-5, atol: 1e-8), "ReLU'd CAMs differ");
        Assert.True(closed.Mask.allclose(autograd.Mask, rtol: 1e-4, atol: 1e-5), "masks differ");
        Assert.Equal(closed.Degenerate, autograd.Degenerate);
    }

    [Fact]
    public void Should_agree_between_closed_form_and_autograd_on_a_random_ResNet18()
    {
        using var model = SmallResNet18(3);
        var image = randn(3, 6, 64, 64);
        long[] targets = [0, 3, 1];
        using var closed = DiffCamMask.Compute(model, image, targets, DiffCamWeighting.ClosedForm);
        using var autograd = DiffCamMask.Compute(model, image, targets, DiffCamWeighting.Autograd);
        AssertSameCam(closed, autograd);
        Assert.Equal(new long[] { 3, 64, 64 }, closed.Mask.shape);
        Assert.True(closed.Logits.allclose(autograd.Logits));
    }

    [Fact]
    public void Should_agree_between_closed_form_and_autograd_on_formula_weights()
    {
        var formula = JsonNode.Parse(File.ReadAllText(Path.Combine(FixturePaths.Parity, "formula.json")))!;
        var constants = new FormulaConstants(formula["a"]!.GetValue<double>(), formula["b"]!.GetValue<double>(), formula["c"]!.GetValue<double>());
        using var model = new Networks.DiffCam.DiffCam(DiffCamConfig.Official());
        model.eval();
        FormulaWeights.Fill(ModuleState.OfficialOrder(model), constants, DaModuleFixture.Rules(model));
        long k = formula["input_ids"]!["da_batch.x"]!["k"]!.GetValue<long>();
        var image = FormulaWeights.Input(constants, k, [2, 6, 64, 64]);
        long[] targets = [7, 15];
        using var closed = DiffCamMask.Compute(model, image, targets, DiffCamWeighting.ClosedForm);
        using var autograd = DiffCamMask.Compute(model, image, targets, DiffCamWeighting.Autograd);
        AssertSameCam(closed, autograd);
    }

    [Fact]
    public void Should_zero_and_flag_only_the_sample_whose_CAM_is_constant()
    {
        using var model = SmallResNet18(4);
        using (no_grad())
        {
            // H is a ReLU output (≥ 0), so a class whose fc row is ≤ 0 has an all-zero ReLU'd CAM.
            model.ClassWeight[2].copy_(-model.ClassWeight[2].abs());
            model.ClassWeight[1].copy_(model.ClassWeight[1].abs() + 0.01);
        }
        var image = randn(2, 6, 64, 64);
        foreach (var weighting in new[] { DiffCamWeighting.ClosedForm, DiffCamWeighting.Autograd })
        {
            using var result = DiffCamMask.Compute(model, image, [1, 2], weighting);
            Assert.Equal([false, true], result.Degenerate);
            Assert.False(result.Mask.isnan().any().item<bool>(), "a constant CAM must not produce NaN");
            Assert.Equal(0f, result.Mask[1].abs().max().item<float>());
            Assert.Equal(1f, result.Mask[0].max().item<float>(), 6);
            Assert.Single(result.Warnings);
        }
    }

    [Fact]
    public void Should_zero_every_mask_when_the_classifier_weights_are_zero()
    {
        using var model = SmallResNet18(5);
        using (no_grad()) model.ClassWeight.zero_();
        using var result = DiffCamMask.Compute(model, randn(2, 6, 64, 64), [0, 3]);
        Assert.All(result.Degenerate, Assert.True);
        Assert.Equal(0f, result.Mask.abs().max().item<float>());
    }

    [Fact]
    public void Should_min_max_normalise_after_bilinear_upsampling()
    {
        var cam = tensor(new float[] { 1, 2, 3, 5 }).reshape(1, 2, 2);
        var (mask, degenerate) = DiffCamMask.Normalise(cam, 4, 4);
        var up = nn.functional.interpolate(cam.unsqueeze(1), [4, 4], mode: InterpolationMode.Bilinear, align_corners: false).squeeze(1);
        var expected = (up - up.min()) / (up - up.min()).max();
        Assert.True(mask.allclose(expected));
        Assert.Equal(0f, mask.min().item<float>());
        Assert.Equal(1f, mask.max().item<float>());
        Assert.Equal([false], degenerate);
    }

    [Fact]
    public void Should_reject_a_target_outside_the_classes()
    {
        using var model = SmallResNet18(6);
        var e = Assert.Throws<ArgumentException>(() => DiffCamMask.Compute(model, randn(1, 6, 64, 64), [Classes]));
        Assert.Contains($"{Classes}", e.Message);
        Assert.Throws<ArgumentException>(() => DiffCamMask.Compute(model, randn(2, 6, 64, 64), [0]));
    }

    [Fact]
    public void Should_repeat_each_mask_value_in_a_block_at_full_size()
    {
        var mask = tensor(new float[] { 0.1f, 0.2f, 0.3f, 0.4f }).reshape(1, 2, 2);
        var full = Composition.UpsampleMaskNearest(mask, 8, 8);
        Assert.Equal(new long[] { 1, 1, 8, 8 }, full.shape);
        Assert.Equal(0.1f, full[0, 0, 3, 3].item<float>());
        Assert.Equal(0.2f, full[0, 0, 0, 4].item<float>());
        Assert.Equal(0.4f, full[0, 0, 7, 7].item<float>());
    }
}
