using Pipeline.Editing.Imaging;
using Pipeline.Editing.Metrics.Inception;
using Pipeline.Editing.Metrics.Lpips;
using Pipeline.Editing.Method;

namespace Pipeline.Editing.Evaluation;

/// <summary>What an evaluation run measures and where it keeps its results (bound from <c>pipeline eval dataset</c>).</summary>
public sealed record EvaluationOptions
{
    public required string InputDir { get; init; }
    public required IReadOnlyList<AttributeEdit> Attributes { get; init; }
    public required string OutDir { get; init; }

    /// <summary>pytorch-fid's <c>pt_inception-2015-12-05-6726825d.pth</c>; without it FID is skipped.</summary>
    public string? InceptionFile { get; init; }

    /// <summary>A folder with LPIPS' linear weights and the ImageNet backbone; without it LPIPS is skipped.</summary>
    public string? LpipsDir { get; init; }

    public LpipsNet LpipsNet { get; init; } = LpipsNet.Alex;
    public FidResizeMode FidResize { get; init; } = FidResizeMode.Bilinear;
    public SizeMode SizeMode { get; init; } = SizeMode.Refuse;
    public int BatchSize { get; init; } = 4;

    /// <summary>Items per attribute whose input, mask and output the report shows.</summary>
    public int Samples { get; init; } = 4;

    /// <summary>
    /// The state (2048² float64 sums per set: 32 MB) is saved at most this often during a pass, and always at the end
    /// of a pass and on cancellation; an interruption repeats at most this much work.
    /// </summary>
    public TimeSpan StateSaveInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A mask value below this marks a pixel outside the edited region (masked LPIPS).</summary>
    public double MaskThreshold { get; init; } = 0.5;
}
