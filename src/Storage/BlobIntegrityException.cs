namespace Pipeline.Storage;

/// <summary>Stored bytes do not match the SHA-256 of the claim check that points at them.</summary>
public sealed class BlobIntegrityException(string name, string expected, string actual)
    : Exception($"blob '{name}' hashes to {actual}, but its reference says {expected}")
{
    public string Name { get; } = name;
}
