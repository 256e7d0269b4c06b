namespace Pipeline.Storage;

/// <summary>A blob the caller referenced does not exist.</summary>
public sealed class BlobNotFoundException(string name)
    : Exception($"blob '{name}' does not exist")
{
    public string Name { get; } = name;
}
