using static TorchSharp.torch;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>
/// Deghosting at the official configuration (<c>run_configs.deghosting</c>) on the stored composite, then the
/// reference's uint8 post-processing of the result.
/// </summary>
public sealed class DeghostingFixture : IParityFixture
{
    public string Folder => "deghosting";
    const string PostprocessStem = "postprocess";

    public void Run(FixtureContext ctx)
    {
        var config = DeghostingParity.Config(ctx);
        var lq = ctx.File("inputs")[$"lq_{config.InSize}"];

        using var model = DeghostingParity.Build(ctx, config);
        using var taps = DeghostingParity.GeneratorTaps(ctx);
        using var _ = inference_mode();
        var result = model.Deghost(lq, taps);
        DeghostingParity.CompareOutputs(ctx, result, taps, config);
        if (!ctx.HasFile(PostprocessStem)) return;
        foreach (var name in ctx.File(PostprocessStem).Keys)
            DeghostingParity.CompareBgrCrop(ctx, $"{PostprocessStem}/{name}", result.Output);
    }
}
