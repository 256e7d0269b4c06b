using System.Globalization;
using System.Text.Json;
using Pipeline.Contracts;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Hosting;

namespace Pipeline.Workers.Method;

/// <summary>How a job's <see cref="JobOptions"/> configure the method: the seed comes from <see cref="JobOptions.Seed"/>,
/// the rest from <see cref="JobOptions.Settings"/> under the keys below (absent keys keep the method's defaults).</summary>
public static class JobSettings
{
    /// <summary><see cref="NoiseMode"/> name: stored | seeded | random.</summary>
    public const string Noise = "noise";

    /// <summary><see cref="DiffCamWeighting"/> name: closedform | autograd.</summary>
    public const string Weighting = "diffcam-weighting";

    /// <summary>"false" skips deghosting: the coarse composite is the final image.</summary>
    public const string Deghost = "deghost";

    /// <summary>Inputs of another size than the pack's: refuse (default) | resizearea | resizebicubic | cropcenter.</summary>
    public const string SizeMode = "size-mode";

    /// <summary><see cref="InversionMethod"/> name: auto (the pack's main encoder when it has one) | encoder | psp | e4e | projection.</summary>
    public const string Inversion = "inversion";

    /// <summary>JSON of the <see cref="ProjectionOptions"/> (steps, seed, learning rate, start), used when the inversion
    /// resolves to the projection. It may not name the VGG16 weights: a path is the invert worker's configuration
    /// (<see cref="ModelOptions.VggWeights"/>), never a client's.</summary>
    public const string Projection = "projection";

    /// <summary>The settings a caller puts in <see cref="JobOptions.Settings"/> to run the method with these options.</summary>
    public static Dictionary<string, string> From(MethodOptions method, SizeMode sizeMode) => new()
    {
        [Noise] = method.Noise.ToString().ToLowerInvariant(),
        [Weighting] = method.Weighting.ToString().ToLowerInvariant(),
        [Deghost] = method.SkipDeghosting ? "false" : "true",
        [SizeMode] = sizeMode.ToString().ToLowerInvariant(),
        [Inversion] = method.Inversion.ToString().ToLowerInvariant(),
        [Projection] = JsonSerializer.Serialize(method.Projection with { VggWeights = null }),
    };

    /// <summary>An edit chain of a message as the method's edits (checked by <see cref="EditChain"/> where it is used);
    /// a chain longer than <see cref="JobLimits.MaxEditsPerChain"/> is an <see cref="ArgumentException"/>.</summary>
    public static IReadOnlyList<AttributeEdit> Edits(IReadOnlyList<EditSpec> edits)
    {
        ThrowIfAny(JobLimits.Default.CheckEdits(edits.Count, "the edit chain"));
        return edits.Select(e => new AttributeEdit(e.Attribute, e.Strength)).ToList();
    }

    /// <summary>The job's seed as the method's (the contract's seed is an int; negative seeds keep their bits).</summary>
    public static ulong Seed(JobOptions options) => unchecked((uint)options.Seed);

    /// <summary>The method's options for a job; a setting that cannot be read or is over <see cref="JobLimits"/> is an
    /// <see cref="ArgumentException"/> naming it, so the items of that job are rejected with the reason.
    /// <paramref name="vggWeights"/> is the worker's configured VGG16 weights for the projection (null: none).</summary>
    public static MethodOptions Method(JobOptions options, string? vggWeights = null) => new()
    {
        Noise = Parse(options, Noise, NoiseMode.Stored),
        Seed = Seed(options),
        Weighting = Parse(options, Weighting, DiffCamWeighting.ClosedForm),
        SkipDeghosting = Get(options, Deghost) is { } deghost && !ParseBool(deghost, Deghost),
        Inversion = Parse(options, Inversion, InversionMethod.Auto),
        Projection = (Get(options, Projection) is { } projection ? ParseProjection(projection) : new ProjectionOptions { Seed = Seed(options) })
            with { VggWeights = vggWeights },
    };

    public static SizeMode Size(JobOptions options) => Parse(options, SizeMode, Pipeline.Editing.Imaging.SizeMode.Refuse);

    /// <summary>A key that says which items may share one tensor batch: same method options and size policy.</summary>
    public static string BatchKey(JobOptions options)
    {
        var m = Method(options);
        return string.Create(CultureInfo.InvariantCulture, $"{m.Noise}/{m.Seed}/{m.Weighting}/{m.SkipDeghosting}/{Size(options)}/{m.Inversion}/{Get(options, Projection)}");
    }

    static string? Get(JobOptions options, string key) =>
        options.Settings is { } settings && settings.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    static T Parse<T>(JobOptions options, string key, T fallback) where T : struct, Enum
    {
        var value = Get(options, key);
        if (value is null)
            return fallback;
        return Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw new ArgumentException($"job setting '{key}' is '{value}'; expected one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}");
    }

    static ProjectionOptions ParseProjection(string json)
    {
        try
        {
            var options = JsonSerializer.Deserialize<ProjectionOptions>(json) ?? throw new JsonException("null");
            ThrowIfAny(JobLimits.Default.CheckProjection(options.Steps, options.MeanSamples, options.PerceptualSize, options.VggWeights is not null,
                $"job setting '{Projection}'"));
            options.Validate();
            return options;
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"job setting '{Projection}' is not a projection options object: {e.Message}");
        }
    }

    static void ThrowIfAny(IEnumerable<JobProblem> problems)
    {
        var list = problems.ToList();
        if (list.Count > 0)
            throw new ArgumentException(string.Join("; ", list.Select(p => p.Message)));
    }

    static bool ParseBool(string value, string key) =>
        bool.TryParse(value, out var parsed) ? parsed : throw new ArgumentException($"job setting '{key}' is '{value}'; expected true or false");
}
