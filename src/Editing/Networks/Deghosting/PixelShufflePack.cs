using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.Deghosting;

/// <summary>Sub-pixel upsampling: a conv to scale²·out channels, then pixel_shuffle (out[c,2y+i,2x+j] = in[4c+2i+j,y,x]).</summary>
public sealed class PixelShufflePack : nn.Module<Tensor, Tensor>
{
    private readonly TailSafeConv2d upsample_conv;
    private readonly int _scale;

    public PixelShufflePack(int inChannels, int outChannels, int scale, int kernelSize) : base(nameof(PixelShufflePack))
    {
        _scale = scale;
        upsample_conv = new TailSafeConv2d(inChannels, outChannels * scale * scale, kernelSize, padding: (kernelSize - 1) / 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = nn.functional.pixel_shuffle(upsample_conv.call(x), _scale);  // [B, out, scale·H, scale·W]
        return y.MoveToOuterDisposeScope();
    }
}
