using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.Discriminator;

/// <summary>
/// mmgen <c>StyleGAN2Discriminator</c> (the Deghosting training's discriminator), keys and order as the official
/// module: <c>convs</c> (a 1×1 ConvDownLayer from RGB, then one ResBlock per halving down to 4×4), <c>mbstd_layer</c>,
/// <c>final_conv</c> (3×3 on C+1 channels), flatten (c·16 + y·4 + x), <c>final_linear</c> (EqualLinearActModule with
/// fused lrelu, then one to a single logit).
/// </summary>
public sealed class StyleGan2Discriminator : nn.Module<Tensor, Tensor>
{
    const int FinalResolution = 4;
    const int RgbChannels = 3;
    const int FromRgbKernel = 1;
    const int FinalConvKernel = 3;

    readonly Sequential convs;
    readonly MiniBatchStdDev mbstd_layer;
    readonly ConvDownLayer final_conv;
    readonly Sequential final_linear;

    public StyleGan2Discriminator(StyleGan2DiscriminatorConfig config) : base(nameof(StyleGan2Discriminator))
    {
        Config = config;
        var blur = config.BlurKernel;
        int channels = config.ChannelsAt(config.InSize);
        var layers = new List<nn.Module<Tensor, Tensor>> { new ConvDownLayer(RgbChannels, channels, FromRgbKernel, blurKernel: blur) };
        for (int i = config.LogSize; i > 2; i--)
        {
            int next = config.ChannelsAt(1 << (i - 1));
            layers.Add(new DiscriminatorResBlock(channels, next, blur));
            channels = next;
        }
        convs = nn.Sequential(layers);
        mbstd_layer = new MiniBatchStdDev(config.MbstdGroupSize, config.MbstdChannelGroups);
        int c4 = config.ChannelsAt(FinalResolution);
        final_conv = new ConvDownLayer(channels + config.MbstdChannelGroups, c4, FinalConvKernel, blurKernel: blur);
        final_linear = nn.Sequential(
            new EqualLinearActModule(c4 * FinalResolution * FinalResolution, c4, fusedLeakyRelu: true),
            new EqualLinearActModule(c4, 1));
        RegisterComponents();
    }

    public StyleGan2DiscriminatorConfig Config { get; }

    /// <summary>Images <c>[N,3,S,S]</c> → logits <c>[N,1]</c>; N must be a multiple of min(N, mbstd group size).</summary>
    public override Tensor forward(Tensor x)
    {
        using var pass = Trace(x);
        return pass.Logits.alias();
    }

    /// <summary>The forward pass with its intermediate tensors (all owned by the result).</summary>
    public DiscriminatorPass Trace(Tensor x)
    {
        if (x.dim() != 4 || x.shape[1] != RgbChannels || x.shape[2] != Config.InSize || x.shape[3] != Config.InSize)
            throw new ArgumentException($"the discriminator expects [N,{RgbChannels},{Config.InSize},{Config.InSize}], got [{string.Join(",", x.shape)}]", nameof(x));
        using var scope = NewDisposeScope();
        var features = convs.call(x);                        // [N,C4,4,4]
        var withStd = mbstd_layer.call(features);            // [N,C4+1,4,4]
        var final = final_conv.call(withStd);                // [N,C4,4,4]
        var logits = final_linear.call(final.reshape(x.shape[0], -1));   // [N,1]
        scope.MoveToOuter(features, withStd, final);
        return new DiscriminatorPass(features, withStd, final, logits.MoveToOuterDisposeScope());
    }
}

/// <summary>The stages of one discriminator pass.</summary>
public sealed record DiscriminatorPass(Tensor ConvsOut, Tensor MbstdOut, Tensor FinalConvOut, Tensor Logits) : IDisposable
{
    public void Dispose()
    {
        ConvsOut.Dispose();
        MbstdOut.Dispose();
        FinalConvOut.Dispose();
        Logits.Dispose();
    }
}
