using Pipeline.Editing.Networks.Deghosting;
using Pipeline.Editing.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Method;

/// <summary>Paper step 5: the composite is area-resized to the deghosting network's input and re-synthesised (CPU in
/// and out, on the network's device inside).</summary>
public sealed class DeghostStage(DeghostNetwork network)
{
    readonly Device _device = ComputeDevice.Of(network);

    public Tensor Deghost(Tensor composite)
    {
        using var scope = NewDisposeScope();
        var lq = Composition.AreaDownsample(composite.OnDevice(_device), network.Config.InSize);
        return network.call(lq).OnCpu().MoveToOuterDisposeScope();
    }
}
