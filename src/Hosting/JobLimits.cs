namespace Pipeline.Hosting;

/// <summary>Upper bounds on the work one job may ask for. The coordinator refuses a submission over them with HTTP 400
/// naming the field and the limit (<c>CoordinatorOptions:Limits</c>, which may lower them); the stage workers check every
/// item against <see cref="Default"/> again, so a message that did not come through the API fails its item with the
/// reason instead of running unbounded work.</summary>
public sealed class JobLimits
{
    public static JobLimits Default { get; } = new();

    /// <summary>Items of one job in flight at once (<c>maxInFlight</c>).</summary>
    public int MaxInFlight { get; set; } = 256;

    /// <summary>Edits in one chain (each is a generator pass and a Diff-CAM step per item).</summary>
    public int MaxEditsPerChain { get; set; } = 16;

    /// <summary>Optimisation steps of a projection (each is a generator pass; the default job runs 200).</summary>
    public int MaxProjectionSteps { get; set; } = 2000;

    /// <summary>Mapping-network samples of the projection's mean start (one [n, style dim] tensor; the default is 10,000).</summary>
    public int MaxProjectionMeanSamples { get; set; } = 100_000;

    /// <summary>Side of the images the projection's perceptual term sees (the largest model pack makes 1024).</summary>
    public int MaxProjectionPerceptualSize { get; set; } = 1024;

    /// <summary>Problems of an edit chain of <paramref name="count"/> edits, named <paramref name="field"/>.</summary>
    public IEnumerable<JobProblem> CheckEdits(int count, string field)
    {
        if (count > MaxEditsPerChain)
            yield return new JobProblem(field, $"{field} has {count} edits; a chain holds at most {MaxEditsPerChain}");
    }

    /// <summary>Problems of the projection settings (each value null when the job leaves it at the default) under
    /// <paramref name="field"/>. A path is never a job's to give: the VGG16 weights are the invert worker's configuration.</summary>
    public IEnumerable<JobProblem> CheckProjection(long? steps, long? meanSamples, long? perceptualSize, bool namesPath, string field)
    {
        if (steps > MaxProjectionSteps)
            yield return new JobProblem($"{field}.Steps", $"{field}.Steps is {steps}; at most {MaxProjectionSteps}");
        if (meanSamples > MaxProjectionMeanSamples)
            yield return new JobProblem($"{field}.MeanSamples", $"{field}.MeanSamples is {meanSamples}; at most {MaxProjectionMeanSamples}");
        if (perceptualSize > MaxProjectionPerceptualSize)
            yield return new JobProblem($"{field}.PerceptualSize", $"{field}.PerceptualSize is {perceptualSize}; at most {MaxProjectionPerceptualSize}");
        if (namesPath)
            yield return new JobProblem($"{field}.VggWeights",
                $"{field}.VggWeights names a file; the VGG16 weights are the invert worker's configuration (Models:VggWeights), not a job setting");
    }
}

/// <summary>One reason a job or an item is refused, and the request field it concerns (e.g. <c>maxInFlight</c>).</summary>
public sealed record JobProblem(string Field, string Message);
