namespace Pipeline.Editing.Training;

/// <summary>Where a training loop reports: the CLI shows a progress bar with loss and ETA; tests collect the losses.</summary>
public interface ITrainingProgress
{
    void Started(string what, long firstStep, long totalSteps);
    void Step(long step, long totalSteps, IReadOnlyDictionary<string, double> losses);
    void Message(string text);
}

/// <summary>Collects the losses (tests, benchmarks).</summary>
public sealed class RecordingProgress : ITrainingProgress
{
    public List<(long Step, Dictionary<string, double> Losses)> Steps { get; } = new();
    public List<string> Messages { get; } = new();
    public void Started(string what, long firstStep, long totalSteps) => Messages.Add($"{what}: {firstStep}..{totalSteps}");
    public void Step(long step, long totalSteps, IReadOnlyDictionary<string, double> losses) => Steps.Add((step, new Dictionary<string, double>(losses)));
    public void Message(string text) => Messages.Add(text);
}
