using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Networks.Deghosting;
using Pipeline.Editing.Parity;
using Pipeline.Editing.Parity.Fixtures;

namespace Pipeline.Editing.Tests.Deghosting;

public class When_listing_the_deghosting_state
{
    [Theory]
    [InlineData("deghosting", 128, 1024)]
    [InlineData("deghosting_small", 32, 256)]
    public void Should_give_every_key_of_keys_json_in_name_shape_and_order(string folder, int inSize, int outSize)
    {
        var expected = KeysFile.Read(Path.Combine(FixturePaths.Parity, folder, "keys.json"));
        using var model = new DeghostNetwork(DeghostingConfig.Official with { InSize = inSize, OutSize = outSize });
        var mine = new DeghostingKeyLayout().ToOfficial(ModuleState.OfficialOrder(model));

        Assert.Equal(expected.Select(e => e.Name), mine.Select(m => m.Name));
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].K, i);
            Assert.True(expected[i].Shape.SequenceEqual(mine[i].Tensor.shape), $"{expected[i].Name}: shape differs");
        }
    }

    [Theory]
    [InlineData("deghosting", 128, 1024)]
    [InlineData("deghosting_small", 32, 256)]
    public void Should_resolve_the_rule_of_every_key_as_keys_json_states_it(string folder, int inSize, int outSize)
    {
        var rules = DeghostingFormulaRules.For(DeghostingConfig.Official with { InSize = inSize, OutSize = outSize });
        foreach (var e in KeysFile.Read(Path.Combine(FixturePaths.Parity, folder, "keys.json")))
        {
            var rule = rules(e.Name, e.Shape);
            Assert.True(e.Rule.Tag == rule.Tag, $"{e.Name}: tag {rule.Tag} vs {e.Rule.Tag}");
            Assert.True(e.Rule.Offset == rule.Offset && e.Rule.Amplitude == rule.Amplitude && e.Rule.Absolute == rule.Absolute,
                $"{e.Name}: C={rule.Offset} A={rule.Amplitude} vs C={e.Rule.Offset} A={e.Rule.Amplitude}");
        }
    }

    [Fact]
    public void Should_freeze_the_generator_and_train_only_the_fcn()
    {
        using var model = new DeghostNetwork(DeghostingConfig.Official with { InSize = 16, OutSize = 64, NumBlocks = 1 });
        Assert.All(model.Generator.parameters(), p => Assert.False(p.requires_grad));
        Assert.All(model.Fcn.parameters(), p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void Should_refuse_keys_outside_the_fcn_and_the_generator()
    {
        using var stray = TorchSharp.torch.zeros(1);
        var e = Assert.Throws<ArgumentException>(() => new DeghostingKeyLayout().ToOfficial([("decoder.0.weight", stray)]));
        Assert.Contains("decoder.0.weight", e.Message);
    }
}
