namespace Pipeline.Editing.Checkpoints;

/// <summary>A checkpoint or tensor file that cannot be read: broken, truncated, or refused for safety.</summary>
public class CheckpointFormatException(string file, string reason)
    : Exception($"{file}: {reason}")
{
    public string File { get; } = file;
    public string Reason { get; } = reason;
}
