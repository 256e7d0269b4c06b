using System.Buffers.Binary;

namespace Pipeline.TestWorkers;

/// <summary>Reads width and height from a PNG's IHDR chunk: enough for the test processors to refuse a file that is
/// not a PNG, or one of the wrong size.</summary>
public static class PngHeader
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];
    private const int HeaderLength = 24;

    public static bool TryRead(ReadOnlySpan<byte> bytes, out int width, out int height)
    {
        width = height = 0;
        if (bytes.Length < HeaderLength || !bytes[..8].SequenceEqual(Signature) || !bytes.Slice(12, 4).SequenceEqual("IHDR"u8))
            return false;
        width = BinaryPrimitives.ReadInt32BigEndian(bytes.Slice(16, 4));
        height = BinaryPrimitives.ReadInt32BigEndian(bytes.Slice(20, 4));
        return width > 0 && height > 0;
    }
}
