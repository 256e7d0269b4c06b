using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Parity;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.DiffCam;

/// <summary>Compares a module's PyTorch-order state, and its formula rules, with a fixture <c>keys.json</c>.</summary>
internal static class KeysAssert
{
    public static void SameKeys(nn.Module module, string keysFile)
    {
        var expected = KeysFile.Read(keysFile);
        var actual = ModuleState.OfficialOrder(module);
        Assert.Equal(expected.Select(e => e.Name), actual.Select(a => a.Name));
        for (int k = 0; k < expected.Count; k++)
        {
            Assert.True(expected[k].Shape.SequenceEqual(actual[k].Tensor.shape),
                $"{expected[k].Name}: {DTypes.ShapeText(actual[k].Tensor.shape)} vs keys.json {DTypes.ShapeText(expected[k].Shape)}");
            Assert.Equal(expected[k].DType, DTypes.TorchName(actual[k].Tensor.dtype));
            Assert.Equal(k, expected[k].K);
        }
    }

    public static void SameRules(nn.Module module, string keysFile, Func<string, long[], FormulaRule> rules)
    {
        foreach (var e in KeysFile.Read(keysFile))
        {
            var mine = rules(e.Name, e.Shape);
            Assert.True(e.Rule == mine, $"{e.Name}: resolver gives {mine}, keys.json says {e.Rule}");
        }
    }
}
