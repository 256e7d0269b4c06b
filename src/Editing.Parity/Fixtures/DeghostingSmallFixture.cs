using Pipeline.Editing.Networks.Deghosting;
using static TorchSharp.torch;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>Deghosting at the reduced configuration of <c>run_configs.deghosting_small</c> on the formula input.</summary>
public sealed class DeghostingSmallFixture : IParityFixture
{
    public string Folder => "deghosting_small";
    const string InputId = "deg_small.lq";

    public void Run(FixtureContext ctx)
    {
        var config = DeghostingParity.Config(ctx);
        var lq = ctx.Input(InputId, DeghostingParity.Batch(ctx), config.ImageChannels, config.InSize, config.InSize);
        ctx.Compare("inputs/lq", lq);

        using var model = DeghostingParity.Build(ctx, config);
        using var taps = DeghostingParity.GeneratorTaps(ctx);
        using var _ = inference_mode();
        DeghostingParity.CompareOutputs(ctx, model.Deghost(lq, taps), taps, config);
    }
}
