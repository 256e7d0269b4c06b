using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.Psp;

/// <summary>
/// pSp's identity shortcut <c>MaxPool2d(kernel_size=1, stride)</c>: a 1×1 max is the sample itself, so it is the
/// strided slice <c>x[:, :, ::s, ::s]</c>. It has no state, like the official module.
/// </summary>
public sealed class StridedSubsample : nn.Module<Tensor, Tensor>
{
    readonly long _stride;

    public StridedSubsample(long stride) : base(nameof(StridedSubsample))
    {
        if (stride < 1) throw new ArgumentException($"stride must be positive, got {stride}", nameof(stride));
        _stride = stride;
    }

    public override Tensor forward(Tensor x)
    {
        if (_stride == 1) return x.alias();
        using var scope = NewDisposeScope();
        var h = x.size(2);
        var w = x.size(3);
        var rows = x.slice(2, 0, h, _stride);
        return rows.slice(3, 0, w, _stride).contiguous().MoveToOuterDisposeScope();
    }
}
