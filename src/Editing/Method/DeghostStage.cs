using Pipeline.Editing.Networks.Deghosting;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Method;

/// <summary>Paper step 5: the composite is area-resized to the deghosting network's input and re-synthesised.</summary>
public sealed class DeghostStage(DeghostNetwork network)
{
    public Tensor Deghost(Tensor composite)
    {
        using var scope = NewDisposeScope();
        var lq = Composition.AreaDownsample(composite, network.Config.InSize);
        return network.call(lq).MoveToOuterDisposeScope();
    }
}
