using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Pipeline.Distributed.Tests.Support;

/// <summary>Small valid RGB PNGs with seed-dependent pixels, and the broken inputs the failure tests need.</summary>
public static class TestImages
{
    public const int Size = 16;

    public static byte[] Png(int seed, int width = Size, int height = Size, int bitDepth = 8)
    {
        var random = new Random(seed);
        var stride = 1 + width * 3 * bitDepth / 8;
        var raw = new byte[height * stride];
        for (var row = 0; row < height; row++)
        {
            raw[row * stride] = 0; // filter: none
            random.NextBytes(raw.AsSpan(row * stride + 1, stride - 1));
        }
        return PngOf(width, height, bitDepth, raw);
    }

    /// <summary>A PNG whose header claims <paramref name="side"/>×<paramref name="side"/> RGB pixels while its data holds a
    /// few rows of zeros: a few hundred bytes that a decoder trusting the header turns into side²×3 bytes or more.</summary>
    public static byte[] PngBomb(int side) => PngOf(side, side, 8, new byte[4 * (1 + side * 3)]);

    private static byte[] PngOf(int width, int height, int bitDepth, byte[] raw)
    {
        using var png = new MemoryStream();
        png.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = (byte)bitDepth; // bits per channel
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

    /// <summary>A baseline JPEG with four components and the Adobe marker that says CMYK (no colour transform), every
    /// block flat: DC and AC Huffman tables of one code each, so each block is the two bits "0" (DC difference 0) and
    /// "0" (end of block).</summary>
    public static byte[] CmykJpeg(int side)
    {
        using var jpeg = new MemoryStream();
        void Segment(byte marker, byte[] body)
        {
            jpeg.Write([0xFF, marker, (byte)((body.Length + 2) >> 8), (byte)(body.Length + 2)]);
            jpeg.Write(body);
        }
        jpeg.Write([0xFF, 0xD8]);
        Segment(0xEE, [.. "Adobe"u8, 0, 100, 0, 0, 0, 0, 0]);                              // APP14, transform 0: CMYK
        Segment(0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]);                            // DQT 0, all ones
        byte[] frame = [8, (byte)(side >> 8), (byte)side, (byte)(side >> 8), (byte)side, 4];
        Segment(0xC0, [.. frame, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0]);       // SOF0, 4 components 1×1
        Segment(0xC4, [0x00, 1, .. new byte[15], 0]);                                     // DC 0: one code of length 1 → category 0
        Segment(0xC4, [0x10, 1, .. new byte[15], 0]);                                     // AC 0: one code of length 1 → EOB
        Segment(0xDA, [4, 1, 0x00, 2, 0x00, 3, 0x00, 4, 0x00, 0, 63, 0]);                 // SOS
        var blocks = (side / 8) * (side / 8) * 4;
        jpeg.Write(new byte[(blocks * 2 + 7) / 8]);
        jpeg.Write([0xFF, 0xD9]);
        return jpeg.ToArray();
    }

    /// <summary><paramref name="jpeg"/> with an EXIF APP1 segment right after SOI whose only tag is Orientation
    /// (0x0112) = <paramref name="orientation"/>.</summary>
    public static byte[] WithExifOrientation(byte[] jpeg, ushort orientation)
    {
        byte[] tiff = [(byte)'I', (byte)'I', 0x2A, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte)orientation, 0, 0, 0, 0, 0, 0, 0];
        byte[] body = [.. "Exif"u8, 0, 0, .. tiff];
        return [0xFF, 0xD8, 0xFF, 0xE1, (byte)((body.Length + 2) >> 8), (byte)(body.Length + 2), .. body, .. jpeg.AsSpan(2)];
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
