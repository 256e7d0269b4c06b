using System.Text.Json;
using Pipeline.Hosting;

namespace Pipeline.Coordinator.Jobs;

/// <summary>The job settings the coordinator can judge without the method: the projection's steps and sizes against
/// <see cref="JobLimits"/>, and no file path (the stage workers read the settings in full and check them again).</summary>
public static class JobSettingsCheck
{
    /// <summary>The job setting holding the projection options as JSON (the workers' <c>JobSettings.Projection</c>).</summary>
    public const string Projection = "projection";

    public static IEnumerable<JobProblem> Problems(IReadOnlyDictionary<string, string>? settings, JobLimits limits)
    {
        if (settings is null || !settings.TryGetValue(Projection, out var json) || string.IsNullOrWhiteSpace(json))
            return [];
        var field = $"options.settings.{Projection}";
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return [new JobProblem(field, $"{field} is not a JSON object of projection options")];
            var root = document.RootElement;
            return limits.CheckProjection(Number(root, "Steps"), Number(root, "MeanSamples"), Number(root, "PerceptualSize"),
                Property(root, "VggWeights") is { ValueKind: not JsonValueKind.Null }, field).ToList();
        }
        catch (JsonException)
        {
            return [new JobProblem(field, $"{field} is not valid JSON")];
        }
    }

    /// <summary>A property matched ignoring case (the workers' reader is stricter; a refusal must not be dodged by case).</summary>
    static JsonElement? Property(JsonElement root, string name) =>
        root.EnumerateObject().Where(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Select(p => (JsonElement?)p.Value).FirstOrDefault();

    /// <summary>A number, saturated to <see cref="long.MaxValue"/> when larger; null when absent or not a number (the workers refuse that).</summary>
    static long? Number(JsonElement root, string name) =>
        Property(root, name) is { ValueKind: JsonValueKind.Number } value
            ? value.TryGetInt64(out var n) ? n : value.GetDouble() > 0 ? long.MaxValue : long.MinValue
            : null;
}
