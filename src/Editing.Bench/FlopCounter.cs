using Pipeline.Editing.Networks;
using Pipeline.Editing.Networks.StyleGan2;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Editing.Bench;

/// <summary>
/// Counts the multiply-add FLOPs (2 per MAC) of the convolutions and linear layers a forward pass runs, by forward
/// hooks on the modules that own them: plain <c>Conv2d</c>/<c>Linear</c>, and StyleGAN2's <c>ModulatedConv2d</c>
/// (a per-sample convolution, or a stride-2 transposed convolution when it upsamples). Element-wise work (activations,
/// blur, noise) is left out, as in the usual FLOP tables, so GFLOP/s reads against the conv kernels' throughput.
/// The deghosting network's RGB skip fusions run <see cref="TailSafeConv2d.ForwardConcatenated"/>, which no hook sees
/// (0.4 of its 1,103 GFLOP).
/// </summary>
public sealed class FlopCounter : IDisposable
{
    readonly List<Action> _removers = new();
    long _flops;

    public FlopCounter(nn.Module root)
    {
        foreach (var (_, m) in root.named_modules())
        {
            switch (m)
            {
                case Conv2d conv:
                    _removers.Add(conv.register_forward_hook((mod, input, output) =>
                    {
                        var w = conv.weight!;
                        _flops += 2 * output.numel() * w.shape[1] * w.shape[2] * w.shape[3];
                        return output;
                    }).remove);
                    break;
                case TailSafeConv2d conv:
                    _removers.Add(conv.register_forward_hook((mod, input, output) =>
                    {
                        var w = conv.Weight;
                        _flops += 2 * output.numel() * w.shape[1] * w.shape[2] * w.shape[3];
                        return output;
                    }).remove);
                    break;
                case Linear linear:
                    _removers.Add(linear.register_forward_hook((mod, input, output) =>
                    {
                        _flops += 2 * output.numel() * linear.weight!.shape[1];
                        return output;
                    }).remove);
                    break;
                case ModulatedConv2d mc:
                    _removers.Add(mc.register_forward_hook((mod, x, style, output) =>
                    {
                        long k2 = mc.Weight.shape[3] * mc.Weight.shape[4];
                        // Transposed conv: every input pixel meets out·k² taps; plain conv: every output pixel meets in·k².
                        _flops += mc.Upsamples
                            ? 2 * x.numel() * mc.OutChannels * k2
                            : 2 * output.numel() * mc.InChannels * k2;
                        return output;
                    }).remove);
                    break;
                case EqualLinear el:
                    _removers.Add(el.register_forward_hook((mod, input, output) =>
                    {
                        _flops += 2 * output.numel() * input.shape[^1];
                        return output;
                    }).remove);
                    break;
            }
        }
    }

    public long Flops => _flops;
    public void Reset() => _flops = 0;

    public void Dispose()
    {
        foreach (var remove in _removers) remove();
        _removers.Clear();
    }
}
