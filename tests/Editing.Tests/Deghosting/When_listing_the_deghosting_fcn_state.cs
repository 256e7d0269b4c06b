using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Networks.Deghosting;
using Pipeline.Editing.Parity;
using Pipeline.Editing.Parity.Fixtures;

namespace Pipeline.Editing.Tests.Deghosting;

public class When_listing_the_deghosting_fcn_state
{
    [Theory]
    [InlineData("deghosting", 128, 1024)]
    [InlineData("deghosting_small", 32, 256)]
    public void Should_give_the_FCN_keys_of_keys_json_in_name_shape_and_order(string folder, int inSize, int outSize)
    {
        var expected = KeysFile.Read(Path.Combine(FixturePaths.Parity, folder, "keys.json"))
            .Where(e => e.Name.StartsWith(DeghostingKeyLayout.FcnPrefix, StringComparison.Ordinal)).ToList();
        using var fcn = new Fcn(DeghostingConfig.Official with { InSize = inSize, OutSize = outSize });
        var mine = ModuleState.OfficialOrder(fcn, DeghostingKeyLayout.FcnPrefix);

        Assert.Equal(expected.Select(e => e.Name), mine.Select(m => m.Name));
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].K, i);
            Assert.True(expected[i].Shape.SequenceEqual(mine[i].Tensor.shape), $"{expected[i].Name}: shape differs");
        }
    }

    [Fact]
    public void Should_resolve_the_rule_of_every_FCN_key_as_keys_json_states_it()
    {
        var entries = KeysFile.Read(Path.Combine(FixturePaths.Parity, "deghosting", "keys.json"))
            .Where(e => e.Name.StartsWith(DeghostingKeyLayout.FcnPrefix, StringComparison.Ordinal));
        foreach (var e in entries)
        {
            var rule = DeghostingFormulaRules.For(DeghostingConfig.Official)(e.Name, e.Shape);
            Assert.Equal(e.Rule.Tag, rule.Tag);
            Assert.Equal(e.Rule.Offset, rule.Offset);
            Assert.Equal(e.Rule.Amplitude, rule.Amplitude);
            Assert.Equal(e.Rule.Absolute, rule.Absolute);
        }
    }
}
