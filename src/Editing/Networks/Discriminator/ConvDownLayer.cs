using Pipeline.Editing.Networks.StyleGan2;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.Discriminator;

/// <summary>
/// mmgen <c>ConvDownLayer</c>, an <c>nn.Sequential</c> (children "0", "1", …): [Blur when downsampling] → equalized-lr conv
/// (no bias when the fused activation follows) → [FusedBiasLeakyReLU]. Downsampling blurs with pad
/// <c>((p+1)/2, p/2)</c>, <c>p = len(k) − 2 + kernel − 1</c>, then convolves with stride 2 and no padding; otherwise the
/// padding is kernel/2.
/// </summary>
public sealed class ConvDownLayer : nn.Module<Tensor, Tensor>
{
    const int DownFactor = 2;

    readonly nn.Module<Tensor, Tensor>[] _layers;

    public ConvDownLayer(long inChannels, long outChannels, int kernelSize, bool downsample = false,
        IReadOnlyList<double>? blurKernel = null, bool bias = true, bool activate = true) : base(nameof(ConvDownLayer))
    {
        var layers = new List<nn.Module<Tensor, Tensor>>();
        int stride = 1, padding = kernelSize / 2;
        if (downsample)
        {
            var k = blurKernel ?? StyleGan2Config.DefaultBlurKernel;
            int p = k.Count - DownFactor + (kernelSize - 1);
            layers.Add(new Blur(k, FirKernel.FloorDiv(p + 1, 2), FirKernel.FloorDiv(p, 2)));
            stride = DownFactor;
            padding = 0;
        }
        layers.Add(new EqualizedLrConvModule(inChannels, outChannels, kernelSize, stride, padding, bias && !activate));
        if (activate) layers.Add(new FusedLeakyReLU(outChannels));
        _layers = layers.ToArray();
        for (int i = 0; i < _layers.Length; i++) register_module(i.ToString(System.Globalization.CultureInfo.InvariantCulture), _layers[i]);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = x;
        foreach (var layer in _layers) y = layer.call(y);
        return y.MoveToOuterDisposeScope();
    }
}
