using System.Globalization;

namespace Pipeline.Editing.Evaluation;

/// <summary>How many decimals each metric is shown with (the paper prints FID with 2 and LPIPS with 3).</summary>
public static class MetricFormats
{
    public static readonly IReadOnlyDictionary<string, int> Decimals = new Dictionary<string, int>
    {
        ["fid"] = 2, ["lpips"] = 3, ["lpips_masked"] = 3, ["psnr"] = 2, ["ssim"] = 4,
    };

    public static string Format(string metric, double value) => value.ToString("F" + Decimals[metric], CultureInfo.InvariantCulture);
}
