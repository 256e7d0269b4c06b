using Pipeline.Editing.Method;
using static TorchSharp.torch;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>
/// <c>composition</c>: Eq. 5 with the stored DA mask and edited image over the formula original, and Eq. 7's folded
/// mask; the area downsamples to the DA and deghosting input sizes, and centred crops of the full-size composites.
/// </summary>
public sealed class CompositionFixture : IParityFixture
{
    const string OriginInputId = "pipe.origin_1024";
    const string NearestMode = "nearest";

    public string Folder => "composition";

    public void Run(FixtureContext ctx)
    {
        using var _ = inference_mode();
        long size = ctx.ConfigInt("size", 0);
        long down = ctx.ConfigInt("downsample_to", 0);
        if (size <= 0 || down <= 0) throw new InvalidDataException("run_configs.composition needs size and downsample_to");
        var upsample = ctx.ConfigString("mask_upsample") ?? NearestMode;
        if (upsample != NearestMode) throw new InvalidDataException($"mask_upsample '{upsample}' is not supported (the official code uses nearest)");

        var inputs = ctx.File("inputs");
        var mask = inputs["mask_256"];                    // [B,1,s,s], s = the DA input size
        var edited = inputs["manipulated_1024"];          // [B,3,size,size]
        long daSize = mask.shape[^1];
        var original = ctx.Input(OriginInputId, edited.shape[0], edited.shape[1], size, size);

        ctx.Compare("origin_256_area", Composition.AreaDownsample(original, daSize));
        ctx.Compare("manipulated_256", Composition.FacePool(edited, daSize));

        var fused = Composition.Compose(edited, original, Composition.UpsampleMaskNearest(mask, size, size));
        ctx.Compare("fused_1024_crop", CentredCrop(fused, ctx, "fused_1024_crop"));
        ctx.Compare("fused_128", Composition.AreaDownsample(fused, down));

        var folded = Composition.Fold(mask);
        ctx.Compare("folded_mask_256", folded);
        var fusedFolded = Composition.Compose(edited, original, Composition.UpsampleMaskNearest(folded, size, size));
        ctx.Compare("fused_folded_1024_crop", CentredCrop(fusedFolded, ctx, "fused_folded_1024_crop"));
        ctx.Compare("fused_folded_128", Composition.AreaDownsample(fusedFolded, down));
    }

    /// <summary>The centred window of the stored crop's size (rows/cols 448:576 for a 128 crop of 1024).</summary>
    static Tensor CentredCrop(Tensor x, FixtureContext ctx, string name)
    {
        var reference = ctx.File("outputs")[name];
        long ch = reference.shape[^2], cw = reference.shape[^1];
        long top = (x.shape[^2] - ch) / 2, left = (x.shape[^1] - cw) / 2;
        return x.narrow(-2, top, ch).narrow(-1, left, cw);
    }
}
