using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Editing.Metrics.Inception;

/// <summary>The pool branches of the FID blocks, which differ from torchvision's (pytorch-fid's patches).</summary>
internal static class InceptionPooling
{
    const long Kernel = 3;

    /// <summary>TF's average pool ignores the zero padding: <c>avg_pool2d(3, 1, 1, count_include_pad=False)</c>.</summary>
    public static Tensor AverageSame(Tensor x) =>
        functional.avg_pool2d(x, Kernel, stride: 1, padding: 1, count_include_pad: false);

    /// <summary>The last block (Mixed_7c) of the TF graph max-pools: <c>max_pool2d(3, 1, 1)</c>.</summary>
    public static Tensor MaxSame(Tensor x) => functional.max_pool2d(x, Kernel, stride: 1, padding: 1);

    /// <summary>The stride-2 reduction pool of blocks B and D and of the stem: <c>max_pool2d(3, 2)</c>.</summary>
    public static Tensor MaxReduce(Tensor x) => functional.max_pool2d(x, Kernel, stride: 2);
}
