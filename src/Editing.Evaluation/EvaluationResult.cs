namespace Pipeline.Editing.Evaluation;

/// <summary>Whether a metric was computed, and if not, why.</summary>
public sealed record MetricAvailability(string Metric, bool Computed, string? SkipReason)
{
    public static MetricAvailability Ok(string metric) => new(metric, true, null);
    public static MetricAvailability Skipped(string metric, string reason) => new(metric, false, reason);
}

/// <summary>The measured values of one attribute (null where the metric was skipped).</summary>
public sealed record AttributeMetrics(
    string Attribute, long Images, double? Fid, bool FidUsedEps, double? Lpips, double? LpipsMasked, long LpipsMaskedEmpty, double Psnr, double Ssim);

/// <summary>A sample shown in the report: file names relative to the output folder.</summary>
public sealed record SampleImages(string Attribute, string Item, string Input, string Mask, string Output);

/// <summary>Everything a run reports (metrics.json, metrics.csv, report.html are views of it).</summary>
public sealed record EvaluationResult
{
    public required string InputDir { get; init; }
    public required int ImageCount { get; init; }
    public required int ImageSize { get; init; }
    public required string Editor { get; init; }
    public required IReadOnlyList<AttributeMetrics> Attributes { get; init; }
    public required IReadOnlyList<MetricAvailability> Availability { get; init; }
    public required IReadOnlyList<SampleImages> Samples { get; init; }
    public required string FidResize { get; init; }
    public required string LpipsNet { get; init; }
    public required double MaskThreshold { get; init; }
    public required double Seconds { get; init; }

    public double? MeanFid => Mean(a => a.Fid);
    public double? MeanLpips => Mean(a => a.Lpips);
    public double? MeanLpipsMasked => Mean(a => a.LpipsMasked);
    public double MeanPsnr => Attributes.Average(a => a.Psnr);
    public double MeanSsim => Attributes.Average(a => a.Ssim);

    public IEnumerable<MetricAvailability> Skipped => Availability.Where(a => !a.Computed);

    double? Mean(Func<AttributeMetrics, double?> pick) =>
        Attributes.Count > 0 && Attributes.All(a => pick(a).HasValue) ? Attributes.Average(a => pick(a)!.Value) : null;
}
