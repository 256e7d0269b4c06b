using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks;

/// <summary>
/// <c>nn.PReLU(channels)</c> (one learned slope per channel, parameter <c>weight</c>, initially 0.25) whose initial fill
/// uses a held Scalar; TorchSharp 0.107's constructor fills with a temporary one.
/// </summary>
public sealed class PReLU : nn.Module<Tensor, Tensor>
{
    static readonly Scalar InitialSlope = 0.25;

    readonly Parameter weight;

    public PReLU(long channels) : base(nameof(PReLU))
    {
        weight = new Parameter(empty(channels).fill_(InitialSlope));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => nn.functional.prelu(x, weight);
}
