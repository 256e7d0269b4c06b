using Pipeline.Contracts;

namespace Pipeline.Storage;

/// <summary>Reads payloads that are slices of bundles (<see cref="BlobRef.Offset"/>), each checked against its own
/// SHA-256.</summary>
public static class BlobSlices
{
    /// <summary>The slice <paramref name="blob"/> names out of <paramref name="bytes"/>, which start at blob offset
    /// <paramref name="bytesOffset"/>; checked against the slice's SHA-256.</summary>
    public static byte[] Slice(BlobRef blob, ReadOnlySpan<byte> bytes, long bytesOffset)
    {
        var offset = blob.Offset ?? 0;
        var from = offset - bytesOffset;
        if (from < 0 || blob.Length < 0 || from + blob.Length > bytes.Length)
            throw new BlobIntegrityException(blob.Name, blob.Sha256, $"nothing (bytes {offset}..{offset + blob.Length} are not all stored)");
        var slice = bytes.Slice((int)from, (int)blob.Length).ToArray();
        Verify(blob, slice);
        return slice;
    }

    public static void Verify(BlobRef blob, ReadOnlySpan<byte> bytes)
    {
        var actual = Sha256Hex.Of(bytes);
        if (actual != blob.Sha256)
            throw new BlobIntegrityException(blob.Offset is { } offset ? $"{blob.Name}@{offset}" : blob.Name, blob.Sha256, actual);
    }
}
