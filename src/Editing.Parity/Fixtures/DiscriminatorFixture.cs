using System.Globalization;
using System.Text.RegularExpressions;
using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Networks.Discriminator;
using Pipeline.Editing.Networks.Losses;
using Pipeline.Editing.Parity.Rules;
using static TorchSharp.torch;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>
/// <c>discriminator/</c>: the mmgen discriminator of the folder's in_size with formula weights, on
/// x = cat(img_from_z, img_from_wplus)[:batch] read from the sibling <c>stylegan2_generator/outputs.safetensors</c>
/// (formula images are invisible to this deep net). Stages, logits of the whole batch (<c>logits_b{N}</c>) and of its
/// first n samples (<c>logits_b{N}_first{n}</c>, i.e. mbstd group n), and the vanilla GAN losses, all on the whole-batch
/// logits: <c>gan_g_loss_real_target_w{w} = w·BCE(logits, 1)</c>, <c>gan_d_loss_real = BCE(logits, 1)</c>,
/// <c>gan_d_loss_fake = BCE(logits, 0)</c>.
/// </summary>
public sealed class DiscriminatorFixture : IParityFixture
{
    const string GeneratorFolder = "stylegan2_generator";
    static readonly Regex FirstSamples = new(@"^logits_b\d+_first(\d+)$");
    static readonly Regex GeneratorLoss = new(@"^gan_g_loss_real_target_w(.+)$");

    public string Folder => "discriminator";

    public void Run(FixtureContext ctx)
    {
        int inSize = RunConfig.Int(ctx, "in_size");
        long batch = RunConfig.Int(ctx, "batch");
        int cm = ctx.ConfigInt("channel_multiplier", new StyleGan2DiscriminatorConfig().ChannelMultiplier);
        var outputs = ctx.File("outputs");

        using var d = new StyleGan2Discriminator(new StyleGan2DiscriminatorConfig(inSize, cm));
        d.eval();
        FormulaWeights.Fill(ModuleState.OfficialOrder(d), ctx.Formula, StyleGan2DiscriminatorRules.Resolver());
        using var _ = no_grad();

        using var x = GeneratorImages(ctx, batch);
        if (ctx.File("inputs").ContainsKey("x_first_row")) ctx.Compare("inputs/x_first_row", x.narrow(2, 0, 1));

        using var pass = d.Trace(x);
        ctx.Compare("convs_out", pass.ConvsOut);
        ctx.Compare("mbstd_out", pass.MbstdOut);
        ctx.Compare("final_conv_out", pass.FinalConvOut);
        ctx.Compare($"logits_b{batch}", pass.Logits);

        foreach (var name in outputs.Keys)
        {
            var first = FirstSamples.Match(name);
            if (first.Success)
            {
                using var part = x.narrow(0, 0, long.Parse(first.Groups[1].Value, CultureInfo.InvariantCulture));
                using var logits = d.call(part);
                ctx.Compare(name, logits);
            }
            var g = GeneratorLoss.Match(name);
            if (g.Success)
            {
                using var loss = new GanLoss(double.Parse(g.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture)).Generator(pass.Logits);
                ctx.Compare(name, loss.reshape(outputs[name].shape));
            }
        }

        var unweighted = new GanLoss();
        using var real = unweighted.Loss(pass.Logits, targetIsReal: true, isDiscriminator: true);
        using var fake = unweighted.Loss(pass.Logits, targetIsReal: false, isDiscriminator: true);
        ctx.Compare("gan_d_loss_real", real.reshape(outputs["gan_d_loss_real"].shape));
        ctx.Compare("gan_d_loss_fake", fake.reshape(outputs["gan_d_loss_fake"].shape));
    }

    /// <summary>cat(img_from_z, img_from_wplus)[:batch] from the generator folder beside this one.</summary>
    static Tensor GeneratorImages(FixtureContext ctx, long batch)
    {
        var path = Path.Combine(ctx.Dir, "..", GeneratorFolder, "outputs.safetensors");
        using var generated = SafeTensorsFile.Read(path);
        using var all = cat(new[] { generated["img_from_z"], generated["img_from_wplus"] }, 0);
        if (all.shape[0] < batch) throw new InvalidDataException($"{path} holds {all.shape[0]} images, the discriminator batch is {batch}");
        return all.narrow(0, 0, batch).contiguous();
    }
}
