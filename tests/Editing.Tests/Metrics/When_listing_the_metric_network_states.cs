using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Metrics.Inception;
using Pipeline.Editing.Metrics.Lpips;
using Pipeline.Editing.Parity;

namespace Pipeline.Editing.Tests.Metrics;

public class When_listing_the_metric_network_states
{
    static void AssertSameKeysAndRules(IReadOnlyList<(string Name, TorchSharp.torch.Tensor Tensor)> order, string keysJson, Func<string, long[], FormulaRule> rules)
    {
        var keys = KeysFile.Read(keysJson);
        Assert.Equal(keys.Select(k => k.Name), order.Select(e => e.Name));
        for (int k = 0; k < keys.Count; k++)
        {
            Assert.Equal(keys[k].Shape, order[k].Tensor.shape);
            Assert.Equal(k, keys[k].K);
            var mine = rules(order[k].Name, order[k].Tensor.shape);
            Assert.Equal(keys[k].Rule.Tag, mine.Tag);
            if (mine.Keep) continue;
            Assert.Equal(keys[k].Rule.Offset, mine.Offset, 15);
            Assert.Equal(keys[k].Rule.Amplitude, mine.Amplitude, 15);
            Assert.Equal(keys[k].Rule.Absolute, mine.Absolute);
        }
    }

    [Fact]
    public void Should_give_the_FID_Inception_the_names_shapes_order_and_rules_of_pt_inception()
    {
        using var model = new FidInceptionV3();

        AssertSameKeysAndRules(ModuleState.OfficialOrder(model), Path.Combine(FixturePaths.ParityMetrics, "inception", "keys.json"), TorchLayerFormulaRules.For(model));
    }

    [Theory]
    [InlineData(LpipsNet.Alex)]
    [InlineData(LpipsNet.Vgg)]
    public void Should_give_the_LPIPS_backbone_the_names_shapes_order_and_rules_of_lpips(LpipsNet net)
    {
        using var lpips = new Lpips(net);
        var rules = TorchLayerFormulaRules.For(lpips.Backbone);

        AssertSameKeysAndRules(ModuleState.OfficialOrder(lpips.Backbone, "net."), Path.Combine(FixturePaths.ParityMetrics, "lpips", net.FileName(), "keys.json"),
            (name, shape) => rules(name["net.".Length..], shape));
    }

    [Fact]
    public void Should_load_a_pt_inception_state_without_the_batch_counters()
    {
        var path = Path.Combine(Path.GetTempPath(), $"inception-{Guid.NewGuid():N}.pth");
        try
        {
            using (var source = new FidInceptionV3())
            {
                using var sd = new StateDict();
                foreach (var (name, t) in ModuleState.OfficialOrder(source).Where(e => !e.Name.EndsWith("num_batches_tracked", StringComparison.Ordinal)))
                    sd.Add(name, t.alias());
                TorchSaveWriter.Write(path, sd);
            }
            using var loaded = FidInceptionV3.Load(path);

            Assert.False(loaded.training);
        }
        finally { File.Delete(path); }
    }
}
