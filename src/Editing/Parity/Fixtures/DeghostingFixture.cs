using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Networks.Deghosting;
using static TorchSharp.torch;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>Deghosting at the official configuration (<c>run_configs.deghosting</c>) on the stored composite.</summary>
public sealed class DeghostingFixture : IParityFixture
{
    public string Folder => "deghosting";

    public void Run(FixtureContext ctx)
    {
        var config = DeghostingParity.Config(ctx);
        var lq = ctx.File("inputs")[$"lq_{config.InSize}"];

        using var fcn = new Fcn(config);
        fcn.eval();
        FormulaWeights.Fill(ModuleState.OfficialOrder(fcn, DeghostingFormulaRules.FcnPrefix), ctx.Formula, DeghostingFormulaRules.For);
        using var _ = inference_mode();
        DeghostingParity.CompareEncoder(ctx, fcn.Encode(lq));
    }
}
