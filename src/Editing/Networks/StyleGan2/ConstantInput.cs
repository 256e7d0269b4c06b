using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.StyleGan2;

/// <summary>The learned 4×4 starting feature map <c>input [1,C,size,size]</c>, repeated over the batch of the latent.</summary>
public sealed class ConstantInput : nn.Module<Tensor, Tensor>
{
    public const int DefaultSize = 4;

    readonly Parameter input;

    public ConstantInput(long channels, int size = DefaultSize) : base(nameof(ConstantInput))
    {
        input = new Parameter(randn(1, channels, size, size));
        RegisterComponents();
    }

    public Parameter Input => input;

    /// <summary>Only the batch size of <paramref name="latent"/> is used.</summary>
    public override Tensor forward(Tensor latent) => input.repeat(latent.shape[0], 1, 1, 1);
}
