using static TorchSharp.torch;

namespace Pipeline.Editing.Metrics.Inception;

/// <summary>
/// The activations of one pass, named as pytorch-fid's blocks: the resized [0,1] input, block 0 (64-d), the
/// Conv2d_4a_3x3 output, block 1 (192-d), Mixed_5d, block 2 (= Mixed_6e, 768-d) and block 3's pool3 [B,2048].
/// </summary>
public sealed class InceptionTrace : IDisposable
{
    public required Tensor Resized { get; init; }
    public required Tensor Block0 { get; init; }
    public required Tensor Conv2d4a { get; init; }
    public required Tensor Block1 { get; init; }
    public required Tensor Mixed5d { get; init; }
    public required Tensor Block2 { get; init; }
    public required Tensor Pool3 { get; init; }

    public void Dispose()
    {
        foreach (var t in new[] { Resized, Block0, Conv2d4a, Block1, Mixed5d, Block2, Pool3 }) t.Dispose();
    }
}
