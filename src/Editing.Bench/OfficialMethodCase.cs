using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.Deghosting;
using Pipeline.Editing.Networks.DiffCam;
using Pipeline.Editing.Networks.Psp;
using Pipeline.Editing.Parity;
using Pipeline.Editing.Parity.Fixtures;
using Pipeline.Editing.Parity.Rules;
using static TorchSharp.torch;

namespace Pipeline.Editing.Bench;

/// <summary>
/// The whole method at the official configuration (pSp 256→1024, DiffCam ResNet-101 at 256², Deghosting 128→1024)
/// with formula weights, four formula directions on the official DA classes, and a formula 1024² image.
/// </summary>
public static class OfficialMethodCase
{
    static readonly FormulaConstants Formula = new(0.37, 1.1, 0.5);
    public static readonly string[] Attributes = { "Eyeglasses", "Beard", "Smiling", "Old" };

    /// <param name="device">where the networks run (null: the CPU); the image stays on the CPU, as every stage takes it.</param>
    public static (EditModels Models, Tensor Image) Create(Pipeline.Editing.Runtime.ComputeDevice? device = null)
    {
        var pspConfig = new PspConfig();
        var psp = new Psp(pspConfig);
        FormulaWeights.Fill(ModuleState.OfficialOrder(psp), Formula, PspRules.For(pspConfig));
        psp.SetLatentAvg(FormulaWeights.Input(Formula, 10011, new long[] { pspConfig.NStyles, pspConfig.StyleDim }));

        var diffCam = new DiffCam(DiffCamConfig.Official());
        FormulaWeights.Fill(ModuleState.OfficialOrder(diffCam), Formula, TorchLayerFormulaRules.For(diffCam));

        var dgConfig = DeghostingConfig.Official;
        var deghost = new DeghostNetwork(dgConfig);
        FormulaWeights.Fill(ModuleState.OfficialOrder(deghost), Formula, DeghostingFormulaRules.For(dgConfig));

        var directions = new Dictionary<string, LoadedDirection>();
        for (int i = 0; i < Attributes.Length; i++)
        {
            using var raw = FormulaWeights.Input(Formula, 10012 + i, new long[] { pspConfig.NStyles, pspConfig.StyleDim });
            var d = EditDirection.FromTensor(Attributes[i], raw, DirectionNormalization.Frobenius);
            directions[Attributes[i]] = new LoadedDirection(d, EditModels.OfficialDirectionClasses[Attributes[i]], EditModels.OfficialAlpha, "formula");
        }
        var manifest = EditModels.OfficialConfiguration();
        var models = EditModels.FromNetworks(manifest, psp, diffCam, deghost, directions, device);
        var image = FormulaWeights.Input(Formula, 10010, new long[] { 1, 3, 1024, 1024 });
        return (models, image);
    }
}
