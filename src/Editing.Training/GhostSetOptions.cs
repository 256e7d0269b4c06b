using Pipeline.Editing.Imaging;

namespace Pipeline.Editing.Training;

/// <summary><c>pipeline ghost-set</c> (official <c>gen_dataset.py</c>).</summary>
public sealed record GhostSetOptions
{
    public required string InputDir { get; init; }
    public required string OutDir { get; init; }

    /// <summary>Only the first N images (sorted by name); null is all.</summary>
    public int? Count { get; init; }

    public long Seed { get; init; }

    /// <summary>
    /// The edit's α (latent + α·n) is drawn uniformly from [lo, hi]; null uses each direction's unit strength (the
    /// official fixed α = 20 for the official pack).
    /// </summary>
    public (double Lo, double Hi)? AlphaRange { get; init; }

    /// <summary>The directions drawn from (names in the pack); null is all of them.</summary>
    public IReadOnlyList<string>? Directions { get; init; }

    /// <summary>Inputs of another size than the pack's are refused unless resized or cropped.</summary>
    public SizeMode Size { get; init; } = SizeMode.Refuse;

    public TrainingNoise Noise { get; init; } = TrainingNoise.Fresh;

    /// <summary>ghost_set.json is rewritten after this many new items (and at the end), so a crash loses little.</summary>
    public int ManifestEvery { get; init; } = 25;

    public void Validate()
    {
        if (Count is < 1) throw new ArgumentException($"--count must be at least 1, got {Count}");
        if (AlphaRange is var (lo, hi) && (!double.IsFinite(lo) || !double.IsFinite(hi) || lo > hi))
            throw new ArgumentException($"--alpha-range must be two finite numbers lo ≤ hi, got {lo},{hi}");
        if (ManifestEvery < 1) throw new ArgumentException("the manifest interval must be at least 1");
    }
}
