using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Networks.DiffCam;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.DiffCam;

public class When_building_a_basic_block_DiffCam
{
    [Fact]
    public void Should_use_torchvision_basic_block_names_and_split_layer3()
    {
        using var model = new Networks.DiffCam.DiffCam(new DiffCamConfig(ResNetLayout.ForDepth(18), 5, 1));
        var names = ModuleState.OfficialOrder(model).Select(e => e.Name).ToList();
        // ResNet-18 layer3 has two blocks: block 0 (with the stride-2 downsample) in shared, block 1 in the classifier.
        Assert.Contains("shared.6.downsample.0.weight", names);
        Assert.Contains("shared.6.conv2.weight", names);
        Assert.Contains("classifier.0.bn2.running_var", names);
        Assert.Contains("classifier.1.0.downsample.1.weight", names);
        Assert.DoesNotContain(names, n => n.Contains(".conv3.", StringComparison.Ordinal));
        Assert.Equal(["fc.weight", "fc.bias"], names.TakeLast(2));
        var fc = ModuleState.OfficialOrder(model).Single(e => e.Name == "fc.weight").Tensor;
        Assert.Equal(new long[] { 5, 512 }, fc.shape);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Should_give_one_row_of_logits_per_image(int batch)
    {
        manual_seed(1);
        using var model = new Networks.DiffCam.DiffCam(new DiffCamConfig(ResNetLayout.ForDepth(18), 4, 1));
        model.eval();
        using var _ = inference_mode();
        var logits = model.forward(randn(batch, 6, 64, 64));
        Assert.Equal(new long[] { batch, 4 }, logits.shape);
    }

    [Fact]
    public void Should_classify_the_signed_difference_of_the_two_images()
    {
        manual_seed(2);
        using var model = new Networks.DiffCam.DiffCam(new DiffCamConfig(ResNetLayout.ForDepth(18), 3, 1));
        model.eval();
        using var _ = inference_mode();
        var a = randn(1, 3, 64, 64);
        var b = randn(1, 3, 64, 64);
        var same = model.forward(cat([a, a], 1));
        var zeroDifference = model.Classify(model.ClassifierTrunk(zeros(1, 256, 4, 4)));
        Assert.True(same.allclose(zeroDifference), "identical images must classify a zero feature difference");
        var forward = model.forward(cat([a, b], 1));
        var swapped = model.forward(cat([b, a], 1));
        Assert.False(forward.allclose(swapped), "swapping inversion and edit must flip the sign of the difference");
    }

    [Fact]
    public void Should_reject_an_input_that_is_not_two_stacked_images()
    {
        using var model = new Networks.DiffCam.DiffCam(new DiffCamConfig(ResNetLayout.ForDepth(18), 3, 1));
        var e = Assert.Throws<ArgumentException>(() => model.forward(zeros(1, 3, 64, 64)));
        Assert.Contains("[B,6,H,W]", e.Message);
    }

    [Theory]
    [InlineData(18, -1)]
    [InlineData(18, 3)]
    [InlineData(26, 1)]
    public void Should_refuse_an_impossible_configuration(int depth, int split)
    {
        Assert.Throws<ArgumentException>(() => new DiffCamConfig(ResNetLayout.ForDepth(depth), 3, split).Validate());
    }
}
