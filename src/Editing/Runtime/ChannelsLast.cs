using static TorchSharp.torch;

namespace Pipeline.Editing.Runtime;

/// <summary>
/// The channels-last memory format (<c>[B,C,H,W]</c> stored as <c>[B,H,W,C]</c>), which TorchSharp has no call for:
/// libtorch reads it from the strides, and oneDNN then convolves in that layout directly, with no reorder of each
/// map into and out of its blocked layout and the output again channels-last, so elementwise operations keep it.
/// </summary>
public static class ChannelsLast
{
    /// <summary>The same values in channels-last strides; the tensor itself (no copy) when it already has them.</summary>
    public static Tensor Of(Tensor x) => x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
}
