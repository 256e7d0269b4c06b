using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Method;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>
/// Chains the deghosting input to the composition stage (mask upsampling, Eq. 5, area downsampling): the stored
/// <c>lq</c> must equal the Eq. 5 composite of the composition folder's edited image and mask with the formula
/// original, area-downsampled.
/// </summary>
public sealed class DeghostingInputChainFixture : IParityFixture
{
    public string Folder => "deghosting";
    const string CompositionFolder = "composition";
    const string OriginId = "pipe.origin_1024";

    public void Run(FixtureContext ctx)
    {
        int inSize = DeghostingParity.Config(ctx).InSize;
        using var composition = SafeTensorsFile.Read(Path.Combine(ctx.Dir, "..", CompositionFolder, "inputs.safetensors"));
        var edited = composition["manipulated_1024"];                                  // [1,3,S,S]
        var origin = ctx.Input(OriginId, edited.shape);
        var mask = Composition.UpsampleMaskNearest(composition["mask_256"], edited.shape[^2], edited.shape[^1]);
        var fused = Composition.Compose(edited, origin, mask);                         // Eq. 5
        ctx.Compare($"inputs/lq_{inSize}", Composition.AreaDownsample(fused, inSize));  // [1,3,in,in]
    }
}
