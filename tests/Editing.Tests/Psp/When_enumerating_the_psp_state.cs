using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Networks.Psp;
using Pipeline.Editing.Parity;
using Pipeline.Editing.Parity.Rules;

namespace Pipeline.Editing.Tests.Psp;

public class When_enumerating_the_psp_state
{
    static List<KeyEntry> OfficialKeys() => KeysFile.Read(Path.Combine(FixturePaths.Parity, "psp", "keys.json"));

    static void AssertSameNamesAndShapes(IReadOnlyList<KeyEntry> official, IReadOnlyList<(string Name, TorchSharp.torch.Tensor Tensor)> mine)
    {
        Assert.Equal(official.Select(e => e.Name), mine.Select(m => m.Name));
        for (int i = 0; i < official.Count; i++)
            Assert.True(official[i].Shape.SequenceEqual(mine[i].Tensor.shape),
                $"{official[i].Name}: shape {string.Join(",", mine[i].Tensor.shape)} vs {string.Join(",", official[i].Shape)}");
    }

    [Fact]
    public void Should_list_the_official_encoder_keys_shapes_and_order()
    {
        var official = OfficialKeys().Where(e => e.Name.StartsWith(PspWeights.EncoderPrefix, StringComparison.Ordinal)).ToList();
        using var encoder = new GradualStyleEncoder(new PspConfig());
        AssertSameNamesAndShapes(official, ModuleState.OfficialOrder(encoder, PspWeights.EncoderPrefix));
    }

    [Fact]
    public void Should_list_the_whole_official_psp_state_with_latent_avg_outside_it()
    {
        var official = OfficialKeys();
        using var psp = new Networks.Psp.Psp(new PspConfig());
        var mine = ModuleState.OfficialOrder(psp);
        AssertSameNamesAndShapes(official, mine);
        Assert.DoesNotContain(mine, m => m.Name.Contains("latent_avg", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_resolve_the_same_formula_rule_as_the_keys_file()
    {
        var rules = PspRules.For(new PspConfig());
        foreach (var entry in OfficialKeys())
        {
            var rule = rules(entry.Name, entry.Shape);
            Assert.True(entry.Rule.Tag == rule.Tag, $"{entry.Name}: tag {rule.Tag} vs {entry.Rule.Tag}");
            if (rule.Keep) continue;
            Assert.True(entry.Rule.Offset == rule.Offset && entry.Rule.Amplitude == rule.Amplitude && entry.Rule.Absolute == rule.Absolute,
                $"{entry.Name}: C={rule.Offset} A={rule.Amplitude} abs={rule.Absolute} vs C={entry.Rule.Offset} A={entry.Rule.Amplitude} abs={entry.Rule.Absolute}");
        }
    }
}
