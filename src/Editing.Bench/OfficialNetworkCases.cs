using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.DiffCam;
using Pipeline.Editing.Networks.Psp;
using Pipeline.Editing.Networks.Deghosting;
using Pipeline.Editing.Parity.Fixtures;
using Pipeline.Editing.Networks.StyleGan2;
using Pipeline.Editing.Parity;
using Pipeline.Editing.Parity.Rules;
using static TorchSharp.torch;

namespace Pipeline.Editing.Bench;

/// <summary>
/// The official configurations with deterministic formula weights (the same as the parity fixtures): speed does not
/// depend on the values, but formula weights keep activations in a normal range (no denormals) as trained ones do.
/// </summary>
public static class OfficialNetworkCases
{
    /// <summary>The formula constants every official benchmark case fills its weights and inputs with.</summary>
    internal static readonly FormulaConstants Formula = new(0.37, 1.1, 0.5);

    public static IReadOnlyList<string> Names { get; } = new[] { "generator", "psp", "diffcam", "deghosting", "psp_encoder" };

    public static NetworkCase Create(string name) => name switch
    {
        "generator" => Generator(),
        "diffcam" => DiffCamWithMask(),
        "psp_encoder" => PspEncoder(),
        "psp" => PspInversion(),
        "deghosting" => Deghosting(),
        _ => throw new ArgumentException($"unknown network '{name}' (known: {string.Join(", ", Names)})"),
    };

    /// <summary>StyleGAN2 1024 synthesis from a W+ code with the stored noise (one pass of the method's two).</summary>
    static NetworkCase Generator()
    {
        var config = new StyleGan2Config(1024);
        var g = new StyleGan2Generator(config);
        FormulaWeights.Fill(ModuleState.OfficialOrder(g), Formula, StyleGan2GeneratorRules.Rosinality(config));
        var w = FormulaWeights.Input(Formula, 10002, new long[] { 1, config.NLatent, config.StyleDim });
        return new NetworkCase("generator", "StyleGAN2 1024, W+ → image", g, () => g.call(w));
    }

    /// <summary>DiffCam ResNet-101 on a 256² pair plus the closed-form Diff-CAM mask.</summary>
    static NetworkCase DiffCamWithMask()
    {
        var model = new DiffCam(DiffCamConfig.Official());
        FormulaWeights.Fill(ModuleState.OfficialOrder(model), Formula, TorchLayerFormulaRules.For(model));
        var x = FormulaWeights.Input(Formula, 10050, new long[] { 1, 6, 256, 256 });
        var targets = new long[] { 7 };
        return new NetworkCase("diffcam", "DiffCam ResNet-101 256² + closed-form mask", model, () =>
        {
            using var r = DiffCamMask.Compute(model, x, targets);
        });
    }

    /// <summary>pSp GradualStyleEncoder (IR-SE50 + 18 style heads) on a 256² image: the W+ codes of one inversion.</summary>
    /// <summary>pSp inversion as the method runs it: 256² input → W+ → StyleGAN2 1024 decoder (stored noise).</summary>
    static NetworkCase PspInversion()
    {
        var config = new PspConfig();
        var psp = new Psp(config);
        FormulaWeights.Fill(ModuleState.OfficialOrder(psp), Formula, PspRules.For(config));
        psp.SetLatentAvg(FormulaWeights.Input(Formula, 10011, new long[] { config.NStyles, config.StyleDim }));
        var x = FormulaWeights.Input(Formula, 10010, new long[] { 1, 3, config.InputSize, config.InputSize });
        return new NetworkCase("psp", "pSp IR-SE50 256² → W+ → StyleGAN2 1024", psp, () =>
        {
            var latent = psp.Encode(x);
            psp.Decode(latent, NoiseSource.Stored, resize: false);
        });
    }

    /// <summary>Deghosting (GLEAN) 128² → 1024² with its frozen mmgen StyleGAN2 (the final RGB skipped).</summary>
    static NetworkCase Deghosting()
    {
        var config = DeghostingConfig.Official;
        var net = new DeghostNetwork(config);
        FormulaWeights.Fill(ModuleState.OfficialOrder(net), Formula, DeghostingFormulaRules.For(config));
        var lq = FormulaWeights.Input(Formula, 10020, new long[] { 1, 3, config.InSize, config.InSize });
        return new NetworkCase("deghosting", "Deghosting RRDB×23 128² → 1024²", net, () => net.call(lq));
    }

    static NetworkCase PspEncoder()
    {
        var config = new PspConfig();
        var encoder = new GradualStyleEncoder(config);
        // The encoder is the first part of the pSp state, so its own positions are the pSp k values.
        FormulaWeights.Fill(ModuleState.OfficialOrder(encoder), Formula, PspRules.Encoder);
        var x = FormulaWeights.Input(Formula, 10010, new long[] { 1, config.InputChannels, config.InputSize, config.InputSize });
        return new NetworkCase("psp_encoder", "pSp GradualStyleEncoder IR-SE50, 256² → W+", encoder, () =>
        {
            using var codes = encoder.call(x);
        });
    }
}
