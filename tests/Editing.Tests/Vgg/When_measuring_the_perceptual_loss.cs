using System.Text.Json.Nodes;
using Pipeline.Editing.Networks.Vgg;
using Pipeline.Editing.Parity.Fixtures;
using Pipeline.Editing.Tests.DiffCam;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Vgg;

public class When_measuring_the_perceptual_loss
{
    static string Folder => Path.Combine(FixturePaths.Parity, "perceptual_vgg16");

    [Fact]
    public void Should_list_the_keys_shapes_and_order_of_keys_json()
    {
        using var loss = new PerceptualLoss(PerceptualLossConfig.Official);
        KeysAssert.SameKeys(loss, Path.Combine(Folder, "keys.json"));
    }

    [Fact]
    public void Should_resolve_every_key_to_the_formula_rule_of_keys_json_with_the_fixture_gain()
    {
        var formula = JsonNode.Parse(File.ReadAllText(Path.Combine(FixturePaths.Parity, "formula.json")))!;
        double gain = formula["run_configs"]!["perceptual_vgg16"]!["plain_weight_gain_g"]!.GetValue<double>();
        using var loss = new PerceptualLoss(PerceptualLossConfig.Official);
        KeysAssert.SameRules(loss, Path.Combine(Folder, "keys.json"), PerceptualVgg16Fixture.Rules(loss, gain));
    }

    [Fact]
    public void Should_be_zero_for_identical_images_and_positive_otherwise()
    {
        manual_seed(7);
        using var loss = new PerceptualLoss(PerceptualLossConfig.Official);
        using var _ = inference_mode();
        var x = rand(1, 3, 32, 32) * 2 - 1;
        Assert.Equal(0f, loss.forward(x, x).item<float>());
        Assert.True(loss.forward(x, x.flip(3)).item<float>() > 0);
    }

    [Fact]
    public void Should_scale_with_the_perceptual_weight()
    {
        manual_seed(8);
        var one = PerceptualLossConfig.Official with { PerceptualWeight = 1.0 };
        using var unit = new PerceptualLoss(one);
        using var official = new PerceptualLoss(PerceptualLossConfig.Official);
        official.load_state_dict(unit.state_dict());
        using var _ = inference_mode();
        var x = rand(1, 3, 32, 32);
        var gt = rand(1, 3, 32, 32);
        double a = unit.forward(x, gt).item<float>();
        double b = official.forward(x, gt).item<float>();
        Assert.Equal(a * PerceptualLossConfig.OfficialPerceptualWeight, b, a * 1e-5);
    }

    [Fact]
    public void Should_take_conv4_3_before_its_ReLU()
    {
        manual_seed(9);
        using var loss = new PerceptualLoss(PerceptualLossConfig.Official);
        using var _ = inference_mode();
        var features = loss.Features(rand(1, 3, 32, 32) * 2 - 1)[PerceptualLossConfig.Conv4_3];
        Assert.Equal(new long[] { 1, 512, 4, 4 }, features.shape);
        Assert.True(features.min().item<float>() < 0, "a pre-ReLU conv output has negative values");
    }

    [Fact]
    public void Should_hold_no_normalisation_buffers_without_input_normalisation()
    {
        using var loss = new PerceptualLoss(PerceptualLossConfig.Official with { UseInputNorm = false });
        var names = Pipeline.Editing.Checkpoints.ModuleState.OfficialOrder(loss).Select(e => e.Name).ToList();
        Assert.DoesNotContain("vgg.mean", names);
        Assert.Equal("vgg.vgg_layers.0.weight", names[0]);
    }

    [Fact]
    public void Should_refuse_a_layer_beyond_VGG16_features()
    {
        var config = PerceptualLossConfig.Official with { LayerWeights = new Dictionary<int, double> { [Vgg16Features.LayerCount] = 1 } };
        Assert.Throws<ArgumentException>(() => new PerceptualLoss(config));
    }
}
