using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using Pipeline.Editing.Runtime;
using TorchSharp;

namespace Pipeline.Editing.Metrics.Lpips;

/// <summary>
/// LPIPS v0.1 (Zhang et al., CVPR 2018; <c>lpips.LPIPS(net, version='0.1')</c> in eval mode): for each of five backbone
/// taps, unit-normalise every pixel's feature vector across channels, square the difference of the two images'
/// normalised features, weight the channels with the learned 1×1 <c>lin</c> layer, and average over space (or upsample
/// to the input size for the spatial map); the distance is the sum over taps. Inputs are in [−1,1].
/// Fields: <c>scaling_layer</c>, <c>net</c>, <c>lin0</c>…<c>lin4</c>, as LPIPS' state dict.
/// </summary>
public sealed class Lpips : Module<Tensor, Tensor, Tensor>
{
    /// <summary>LPIPS' <c>normalize_tensor</c> eps, added outside the square root.</summary>
    public const double NormEps = 1e-10;
    static readonly Scalar NormEpsilon = NormEps;
    public const int TapCount = 5;

    private readonly ScalingLayer scaling_layer;
    private readonly LpipsBackbone net;
    private readonly NetLinLayer lin0;
    private readonly NetLinLayer lin1;
    private readonly NetLinLayer lin2;
    private readonly NetLinLayer lin3;
    private readonly NetLinLayer lin4;

    public Lpips(LpipsNet network) : base(nameof(Lpips))
    {
        scaling_layer = new ScalingLayer();
        net = new LpipsBackbone(network);
        lin0 = new NetLinLayer(net.Channels[0]);
        lin1 = new NetLinLayer(net.Channels[1]);
        lin2 = new NetLinLayer(net.Channels[2]);
        lin3 = new NetLinLayer(net.Channels[3]);
        lin4 = new NetLinLayer(net.Channels[4]);
        RegisterComponents();
    }

    public LpipsNet Network => net.Net;
    public LpipsBackbone Backbone => net;
    IReadOnlyList<NetLinLayer> Lins => [lin0, lin1, lin2, lin3, lin4];

    /// <summary>in0, in1 [B,3,H,W] in [−1,1] → distances [B,1,1,1].</summary>
    public override Tensor forward(Tensor in0, Tensor in1)
    {
        using var output = Compare(in0, in1, spatial: false);
        return output.Value.clone();
    }

    /// <summary>The distance (or its spatial map) and its five per-layer terms.</summary>
    public LpipsOutput Compare(Tensor in0, Tensor in1, bool spatial)
    {
        if (in0.dim() != 4 || in0.shape[1] != 3 || !in0.shape.SequenceEqual(in1.shape))
            throw new ArgumentException($"LPIPS compares two image batches [B,3,H,W] of one shape, got [{string.Join(",", in0.shape)}] and [{string.Join(",", in1.shape)}]");
        using var scope = NewDisposeScope();
        var f0 = Taps(in0);
        var f1 = Taps(in1);
        var terms = new Tensor[TapCount];
        for (int l = 0; l < TapCount; l++)
        {
            var d = (Normalize(f0[l]) - Normalize(f1[l])).pow(Scalars.Two);          // [B,C_l,h,w]
            var map = Lins[l].call(d);                                    // [B,1,h,w]
            terms[l] = spatial
                ? functional.interpolate(map, [in0.shape[2], in0.shape[3]], mode: InterpolationMode.Bilinear, align_corners: false)
                : map.mean([2, 3], keepdim: true);
        }
        var value = terms[0];
        for (int l = 1; l < TapCount; l++) value = value.Plus(terms[l]);
        return new LpipsOutput(value.MoveToOuterDisposeScope(), terms.Select(t => t.MoveToOuterDisposeScope()).ToList());
    }

    /// <summary>The backbone's five taps for images in [−1,1] (after the scaling layer).</summary>
    public Tensor[] Taps(Tensor images)
    {
        using var scope = NewDisposeScope();
        var taps = net.call(scaling_layer.call(images));
        foreach (var t in taps) t.MoveToOuterDisposeScope();
        return taps;
    }

    /// <summary>f / (‖f‖₂ over channels + eps), per pixel.</summary>
    static Tensor Normalize(Tensor f) => f / f.pow(Scalars.Two).sum([1], keepdim: true).sqrt().Plus(NormEpsilon);
}
