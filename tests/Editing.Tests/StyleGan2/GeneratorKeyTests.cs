using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Networks.StyleGan2;
using Pipeline.Editing.Parity.Rules;

namespace Pipeline.Editing.Tests.StyleGan2;

public class When_building_the_official_rosinality_generator
{
    [Fact]
    public void Should_list_the_171_keys_of_the_pSp_decoder_in_official_order()
    {
        using var g = new StyleGan2Generator(new StyleGan2Config(1024));
        KeyListAssert.SameKeys(KeyListAssert.Read("stylegan2_generator", "keys.json"), ModuleState.OfficialOrder(g));
    }

    [Fact]
    public void Should_list_the_keys_of_the_size_256_fixture_configuration()
    {
        using var g = new StyleGan2Generator(new StyleGan2Config(256));
        KeyListAssert.SameKeys(KeyListAssert.Read("stylegan2_generator", "keys_size256.json"), ModuleState.OfficialOrder(g));
    }

    [Fact]
    public void Should_resolve_the_formula_rule_written_in_keys_json_for_every_key()
    {
        var config = new StyleGan2Config(1024);
        KeyListAssert.SameRules(KeyListAssert.Read("stylegan2_generator", "keys.json"), StyleGan2GeneratorRules.Rosinality(config));
        KeyListAssert.SameRules(KeyListAssert.Read("stylegan2_generator", "keys_size256.json"), StyleGan2GeneratorRules.Rosinality(config with { Size = 256 }));
    }

    [Fact]
    public void Should_refuse_a_size_that_is_not_a_power_of_two()
    {
        var e = Assert.Throws<ArgumentException>(() => new StyleGan2Generator(new StyleGan2Config(300)));
        Assert.Contains("300", e.Message);
    }
}

public class When_naming_the_generator_in_the_mmgen_layout
{
    static List<Pipeline.Editing.Parity.KeyEntry> GeneratorPart(string folder) =>
        KeyListAssert.Read(folder, "keys.json").Where(k => k.Name.StartsWith(MmgenGeneratorLayout.DeghostingPrefix, StringComparison.Ordinal)).ToList();

    [Theory]
    [InlineData("deghosting", 1024)]
    [InlineData("deghosting_small", 256)]
    public void Should_give_the_names_shapes_and_order_of_the_deghosting_checkpoint(string folder, int size)
    {
        using var g = new StyleGan2Generator(StyleGan2Config.Mmgen(size));
        var layout = new MmgenGeneratorLayout(officialPrefix: MmgenGeneratorLayout.DeghostingPrefix);
        KeyListAssert.SameKeys(GeneratorPart(folder), layout.ToOfficial(ModuleState.OfficialOrder(g)));
    }

    [Theory]
    [InlineData("deghosting", 1024)]
    [InlineData("deghosting_small", 256)]
    public void Should_resolve_the_formula_rule_of_every_mmgen_key(string folder, int size)
    {
        var rules = StyleGan2GeneratorRules.Mmgen(StyleGan2Config.Mmgen(size), MmgenGeneratorLayout.DeghostingPrefix);
        KeyListAssert.SameRules(GeneratorPart(folder), rules);
    }

    [Fact]
    public void Should_leave_a_parents_other_keys_in_place_and_reorder_only_the_generator_block()
    {
        using var g = new StyleGan2Generator(new StyleGan2Config(16) { Channels = SmallGenerator.Channels });
        using var other = TorchSharp.torch.zeros(1);
        var own = new List<(string, TorchSharp.torch.Tensor)> { ("FCN.a", other) };
        own.AddRange(ModuleState.OfficialOrder(g, MmgenGeneratorLayout.DeghostingPrefix));
        own.Add(("FCN.z", other));
        var official = new MmgenGeneratorLayout(MmgenGeneratorLayout.DeghostingPrefix).ToOfficial(own);
        Assert.Equal("FCN.a", official[0].Name);
        Assert.Equal("generator.injected_noise_0", official[1].Name);
        Assert.Equal("FCN.z", official[^1].Name);
        Assert.Equal(own.Count, official.Count);
    }

    [Fact]
    public void Should_load_an_mmgen_ema_checkpoint_into_the_rosinality_module()
    {
        using var source = new StyleGan2Generator(StyleGan2Config.Mmgen(16) with { Channels = SmallGenerator.Channels });
        using var target = new StyleGan2Generator(StyleGan2Config.Mmgen(16) with { Channels = SmallGenerator.Channels });
        var layout = new MmgenGeneratorLayout(officialPrefix: MmgenGeneratorLayout.CheckpointEmaPrefix);
        var checkpoint = ModuleState.ToStateDict(source, layout);
        Assert.Contains("generator_ema.conv1.conv.style_modulation.linear.weight_orig", checkpoint.Keys);
        Assert.False(source.Conv1.Conv.Weight.equal(target.Conv1.Conv.Weight).all().item<bool>());

        ModuleState.LoadStrict(target, checkpoint, "mmgen checkpoint", layout);

        foreach (var ((name, a), (_, b)) in ModuleState.OfficialOrder(source).Zip(ModuleState.OfficialOrder(target)))
            Assert.True(a.equal(b).all().item<bool>(), $"{name} was not loaded");
    }

    [Theory]
    [InlineData("style.3.weight", "style_mapping.3.linear.weight_orig")]
    [InlineData("convs.4.conv.modulation.bias", "convs.4.conv.style_modulation.bias")]
    [InlineData("to_rgbs.0.upsample.kernel", "to_rgbs.0.upsample.kernel")]
    [InlineData("noises.noise_16", "injected_noise_16")]
    public void Should_translate_names_both_ways(string rosinality, string mmgen)
    {
        Assert.Equal(mmgen, MmgenGeneratorLayout.ToMmgen(rosinality));
        Assert.Equal(rosinality, MmgenGeneratorLayout.ToRosinality(mmgen));
    }
}
