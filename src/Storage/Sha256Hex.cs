using System.Security.Cryptography;

namespace Pipeline.Storage;

/// <summary>SHA-256 as lower-case hex, the form every <see cref="Contracts.BlobRef"/> carries.</summary>
public static class Sha256Hex
{
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static async Task<string> OfAsync(Stream stream, CancellationToken cancellationToken) =>
        Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
}
