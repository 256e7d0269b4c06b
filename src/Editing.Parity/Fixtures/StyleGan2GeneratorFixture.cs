using System.Globalization;
using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Networks.StyleGan2;
using Pipeline.Editing.Parity.Rules;
using static TorchSharp.torch;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>
/// <c>stylegan2_generator/</c>: the rosinality generator of the folder's run configuration with formula weights, run on
/// the formula inputs z, W+ and the truncation latent with the stored noise buffers (<c>randomize_noise=False</c>):
/// mapping steps and w, z- and W+-driven images, synthesis taps, truncation and style mixing.
/// </summary>
public sealed class StyleGan2GeneratorFixture : IParityFixture
{
    public string Folder => "stylegan2_generator";

    public void Run(FixtureContext ctx)
    {
        var config = new StyleGan2Config(
            Size: RunConfig.Int(ctx, "size"),
            StyleDim: RunConfig.Int(ctx, "style_dim"),
            NMlp: RunConfig.Int(ctx, "n_mlp"),
            ChannelMultiplier: RunConfig.Int(ctx, "channel_multiplier"));
        long batch = RunConfig.Int(ctx, "batch");
        double psi = RunConfig.Double(ctx, "truncation");
        int inject = RunConfig.Int(ctx, "inject_index");
        var outputs = ctx.File("outputs");

        using var g = new StyleGan2Generator(config);
        g.eval();
        FormulaWeights.Fill(ModuleState.OfficialOrder(g), ctx.Formula, StyleGan2GeneratorRules.Rosinality(config));
        using var _ = no_grad();

        var inputs = ctx.File("inputs");
        for (int j = 0; j < config.NumLayers; j++)
            if (inputs.ContainsKey(NoiseBuffers.Name(j))) ctx.Compare("inputs/" + NoiseBuffers.Name(j), g.Noises[j]);

        using var z = ctx.Input("gen.z", batch, config.StyleDim);
        using var wplus = ctx.Input("gen.wplus", batch, config.NLatent, config.StyleDim);
        using var truncationLatent = ctx.Input("gen.trunc_latent", 1, config.StyleDim);
        CompareIfStored(ctx, inputs, "z", z);
        CompareIfStored(ctx, inputs, "wplus", wplus);
        CompareIfStored(ctx, inputs, "truncation_latent", truncationLatent);

        var steps = g.MapSteps(z);
        for (int i = 0; i < steps.Count; i++) ctx.Compare($"mapping.{i}", steps[i]);
        ctx.Compare("w", steps[^1]);
        foreach (var s in steps) s.Dispose();

        using (var fromZ = g.Generate(z))
        {
            ctx.Compare("img_from_z", fromZ.Image);
            ctx.Compare("latent_from_z", fromZ.Latent);
        }

        const string tapPrefix = "tap.";
        using (var taps = new FeatureTaps(name => outputs.ContainsKey(tapPrefix + name)))
        using (var fromWplus = g.Generate(wplus, new GenerateOptions { InputIsLatent = true, Taps = taps }))
        {
            ctx.Compare("img_from_wplus", fromWplus.Image);
            foreach (var name in outputs.Keys.Where(k => k.StartsWith(tapPrefix, StringComparison.Ordinal)))
            {
                var tap = name[tapPrefix.Length..];
                if (taps.Contains(tap)) ctx.Compare(name, taps[tap]);
                else ctx.Fail(name, $"the synthesis recorded no tap '{tap}'");
            }
        }

        using (var truncated = g.Generate(z, new GenerateOptions { Truncation = psi, TruncationLatent = truncationLatent }))
            ctx.Compare("img_trunc" + psi.ToString("R", CultureInfo.InvariantCulture).Replace('.', 'p'), truncated.Image);

        using var z0 = z.narrow(0, 0, 1);
        using var z1 = z.narrow(0, 1, 1);
        using var mixed = g.Generate(new[] { z0, z1 }, new GenerateOptions { InjectIndex = inject });
        ctx.Compare($"img_mix_inject{inject}", mixed.Image);
        ctx.Compare($"latent_mix_inject{inject}", mixed.Latent);
    }

    static void CompareIfStored(FixtureContext ctx, StateDict inputs, string name, Tensor mine)
    {
        if (inputs.ContainsKey(name)) ctx.Compare("inputs/" + name, mine);
    }
}
