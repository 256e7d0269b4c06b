using Pipeline.Editing.Parity;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.StyleGan2;

/// <summary>Compares a module's state (names, shapes, order) and its formula rules with an official keys.json list.</summary>
internal static class KeyListAssert
{
    public static void SameKeys(IReadOnlyList<KeyEntry> expected, IReadOnlyList<(string Name, Tensor Tensor)> actual)
    {
        var problems = new List<string>();
        if (expected.Count != actual.Count) problems.Add($"{actual.Count} entries, keys.json has {expected.Count}");
        for (int i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            var (name, t) = actual[i];
            if (name != expected[i].Name || !t.shape.SequenceEqual(expected[i].Shape))
                problems.Add($"k={i}: {name} [{string.Join(",", t.shape)}] vs {expected[i].Name} [{string.Join(",", expected[i].Shape)}]");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));
    }

    public static void SameRules(IReadOnlyList<KeyEntry> expected, Func<string, long[], FormulaRule> resolver)
    {
        var problems = new List<string>();
        foreach (var e in expected)
        {
            var r = resolver(e.Name, e.Shape);
            bool same = r.Keep ? e.Rule.Keep && r.Tag == e.Rule.Tag
                : r.Tag == e.Rule.Tag && r.Offset == e.Rule.Offset && r.Amplitude == e.Rule.Amplitude && r.Absolute == e.Rule.Absolute;
            if (!same) problems.Add($"{e.Name}: {r} vs {e.Rule}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));
    }

    public static List<KeyEntry> Read(params string[] parts) => KeysFile.Read(Path.Combine([FixturePaths.Parity, .. parts]));
}
