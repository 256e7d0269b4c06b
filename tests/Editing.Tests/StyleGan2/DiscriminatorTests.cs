using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Networks.Discriminator;
using Pipeline.Editing.Networks.Losses;
using Pipeline.Editing.Parity.Rules;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.StyleGan2;

public class When_building_the_official_discriminator
{
    [Fact]
    public void Should_list_the_keys_of_the_in_size_1024_discriminator_in_official_order()
    {
        using var d = new StyleGan2Discriminator(new StyleGan2DiscriminatorConfig(1024));
        KeyListAssert.SameKeys(KeyListAssert.Read("discriminator", "keys.json"), ModuleState.OfficialOrder(d));
    }

    [Fact]
    public void Should_resolve_the_formula_rule_written_in_keys_json_for_every_key()
    {
        KeyListAssert.SameRules(KeyListAssert.Read("discriminator", "keys.json"), StyleGan2DiscriminatorRules.Resolver());
    }

    [Fact]
    public void Should_refuse_a_batch_that_the_stddev_group_does_not_divide()
    {
        using var d = new StyleGan2Discriminator(new StyleGan2DiscriminatorConfig(16) { Channels = new Dictionary<int, int> { [4] = 8, [8] = 8, [16] = 4 } });
        using var x = randn(6, 3, 16, 16);
        var e = Assert.Throws<ArgumentException>(() => d.call(x));
        Assert.Contains("group", e.Message);
    }
}

public class When_appending_the_minibatch_standard_deviation
{
    [Fact]
    public void Should_group_sample_n_with_the_samples_n_plus_multiples_of_N_over_G()
    {
        using var layer = new MiniBatchStdDev(groupSize: 4);
        using var x = randn(8, 3, 2, 2);
        using var y = layer.call(x);
        Assert.Equal(new long[] { 8, 4, 2, 2 }, y.shape);
        // N = 8, G = 4: group m holds samples m, m+2, m+4, m+6 (sample n = g·(N/G) + m).
        for (int m = 0; m < 2; m++)
        {
            using var members = x.index_select(0, tensor(new long[] { m, m + 2, m + 4, m + 6 }));
            using var expected = (members.var(0, unbiased: false) + MiniBatchStdDev.DefaultEpsilon).sqrt().mean();
            for (int n = m; n < 8; n += 2)
                Assert.Equal(expected.item<float>(), y[n, 3].mean().item<float>(), 5);
        }
    }
}

public class When_computing_the_vanilla_gan_loss
{
    [Fact]
    public void Should_weight_the_generator_loss_but_not_the_discriminator_loss()
    {
        using var logits = tensor(new float[] { -2f, 0.5f, 3f }).reshape(3, 1);
        var loss = new GanLoss(0.25);
        // BCE with logits written out: mean(log(1 + exp(-x))) for target 1, mean(log(1 + exp(x))) for target 0.
        double real = logits.data<float>().Average(x => Math.Log(1 + Math.Exp(-x)));
        double fake = logits.data<float>().Average(x => Math.Log(1 + Math.Exp(x)));
        using var g = loss.Generator(logits);
        using var d = loss.Discriminator(logits, logits);
        Assert.Equal(0.25 * real, g.item<float>(), 6);
        Assert.Equal(real + fake, d.item<float>(), 5);
    }
}
