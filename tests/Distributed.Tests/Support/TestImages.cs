using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Pipeline.Distributed.Tests.Support;

/// <summary>Small valid RGB PNGs with seed-dependent pixels, and the broken inputs the failure tests need.</summary>
public static class TestImages
{
    public const int Size = 16;

    public static byte[] Png(int seed, int width = Size, int height = Size)
    {
        var random = new Random(seed);
        var raw = new byte[height * (1 + width * 3)];
        for (var row = 0; row < height; row++)
        {
            var offset = row * (1 + width * 3);
            raw[offset] = 0; // filter: none
            random.NextBytes(raw.AsSpan(offset + 1, width * 3));
        }
        using var png = new MemoryStream();
        png.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bits per channel
        header[9] = 2; // RGB
        WriteChunk(png, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
                zlib.Write(raw);
            WriteChunk(png, "IDAT", compressed.ToArray());
        }
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>Bytes no decoder accepts.</summary>
    public static byte[] Corrupt(int seed)
    {
        var bytes = new byte[200];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32([.. typeBytes, .. data]));
        png.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
