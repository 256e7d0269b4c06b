using Pipeline.Editing.Checkpoints;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>
/// Chains the deghosting input to the composition stage (SPEC §1 steps 8–10): the stored <c>lq</c> must equal the
/// Eq. 5 composite of the composition folder's edited image and mask with the formula original, area-downsampled.
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
        var edited = composition["manipulated_1024"];                          // [1,3,S,S]
        var mask = composition["mask_256"];                                     // [1,1,256,256]
        long size = edited.shape[^1];
        var origin = ctx.Input(OriginId, edited.shape);

        // M = nearest_up(mask); I_c = M·I_edit + (1 − M)·I_orig; then F.interpolate(mode='area') to the input size.
        var m = F.interpolate(mask, [size, size], mode: InterpolationMode.Nearest);
        var fused = edited * m + origin * (1 - m);
        long block = size / inSize;
        var lq = F.avg_pool2d(fused, [block, block], [block, block]);          // [1,3,in,in]
        ctx.Compare($"inputs/lq_{inSize}", lq);
    }
}
