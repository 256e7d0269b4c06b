using System.Security.Cryptography;
using System.Text;

namespace Pipeline.TestWorkers;

/// <summary>Deterministic stand-in outputs: SHA-256 chains of the inputs, a tag and the seed.</summary>
public static class Derived
{
    private const int Length = 96;

    public static byte[] From(string tag, int seed, params ReadOnlyMemory<byte>[] inputs)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{tag}|{seed}|"));
        foreach (var input in inputs)
            hash.AppendData(input.Span);
        var block = hash.GetHashAndReset();
        var output = new byte[Length];
        for (var offset = 0; offset < Length; offset += block.Length)
        {
            block.AsSpan(0, Math.Min(block.Length, Length - offset)).CopyTo(output.AsSpan(offset));
            block = SHA256.HashData(block);
        }
        return output;
    }
}
