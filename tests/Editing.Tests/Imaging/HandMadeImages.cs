using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;

namespace Pipeline.Editing.Tests.Imaging;

/// <summary>Inputs written byte by byte: a PNG declaring any canvas (a decompression bomb is a few kilobytes of zlib
/// over zeros), the smallest valid GIF, TIFF and BMP, an AVIF header, a JPEG with an EXIF orientation, a FIFO.</summary>
public static class HandMadeImages
{
    /// <summary>A valid 8-bit RGB PNG of <paramref name="width"/>×<paramref name="height"/>, every row filter 0 and every
    /// byte <paramref name="level"/>, compressed as it is written (nothing of the canvas is held). With
    /// <paramref name="rows"/> only that many rows of data follow the header: a bomb whose header is all that counts.</summary>
    public static void WritePng(string path, int width, int height, byte level = 0, bool interlaced = false, int? rows = null)
    {
        using var file = File.Create(path);
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; ihdr[9] = 2; ihdr[12] = (byte)(interlaced ? 1 : 0);
        Chunk(file, "IHDR", ihdr);
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            // Non-interlaced: one filter byte and 3·width bytes per row. Adam7 rows are narrower, so the same number of
            // bytes is more than enough data for an interlaced image too (Skia ignores what follows).
            var row = new byte[1 + 3 * width];
            Array.Fill(row, level, 1, row.Length - 1);
            for (int y = 0; y < (rows ?? height); y++) zlib.Write(row);
        }
        Chunk(file, "IDAT", compressed.ToArray());
        Chunk(file, "IEND", []);
    }

    static void Chunk(Stream s, string type, byte[] data)
    {
        var header = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        Encoding.ASCII.GetBytes(type, header.AsSpan(4));
        s.Write(header);
        s.Write(data);
        var sum = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(sum, Crc32([.. header.AsSpan(4), .. data]));
        s.Write(sum);
    }

    /// <summary>The CRC-32 of PNG chunks (ISO 3309, reflected polynomial 0xEDB88320).</summary>
    static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    /// <summary>The classic 1×1 GIF89a.</summary>
    public static readonly byte[] Gif =
    [
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x21, 0xF9, 0x04,
        0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
    ];

    /// <summary>A 1×1 8-bit grey baseline TIFF (little-endian, one uncompressed strip).</summary>
    public static byte[] Tiff()
    {
        var entries = new (ushort Tag, ushort Type, uint Value)[]
        {
            (256, 3, 1), (257, 3, 1), (258, 3, 8), (259, 3, 1), (262, 3, 1), (273, 4, 0), (278, 3, 1), (279, 4, 1),
        };
        int ifd = 8, pixel = ifd + 2 + 12 * entries.Length + 4;
        var b = new byte[pixel + 1];
        "II*\0"u8.CopyTo(b);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), (uint)ifd);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(ifd), (ushort)entries.Length);
        for (int i = 0; i < entries.Length; i++)
        {
            var at = b.AsSpan(ifd + 2 + 12 * i);
            var (tag, type, value) = entries[i];
            BinaryPrimitives.WriteUInt16LittleEndian(at, tag);
            BinaryPrimitives.WriteUInt16LittleEndian(at[2..], type);
            BinaryPrimitives.WriteUInt32LittleEndian(at[4..], 1);
            BinaryPrimitives.WriteUInt32LittleEndian(at[8..], tag == 273 ? (uint)pixel : value);
        }
        b[pixel] = 128;
        return b;
    }

    /// <summary>A 1×1 24-bit BMP.</summary>
    public static byte[] Bmp()
    {
        var b = new byte[14 + 40 + 4];
        "BM"u8.CopyTo(b);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(2), b.Length);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(18), 1);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(22), 1);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(28), 24);
        b[54] = 10; b[55] = 20; b[56] = 30;
        return b;
    }

    /// <summary>The ISO BMFF header an AVIF file opens with (ftyp, brand avif).</summary>
    public static readonly byte[] AvifHeader =
        [0, 0, 0, 0x1C, .. "ftypavif"u8, 0, 0, 0, 0, .. "avifmif1miafMA1B"u8];

    /// <summary>Inserts an EXIF APP1 segment with the orientation tag (1–8) right after a JPEG's SOI marker.</summary>
    public static byte[] WithOrientation(byte[] jpeg, int orientation)
    {
        byte[] tiff = [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte)orientation, 0, 0, 0, 0, 0, 0, 0];
        var exif = new List<byte> { (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0 };
        exif.AddRange(tiff);
        int len = exif.Count + 2;
        var bytes = jpeg.ToList();
        bytes.InsertRange(2, new byte[] { 0xFF, 0xE1, (byte)(len >> 8), (byte)(len & 0xFF) }.Concat(exif));
        return bytes.ToArray();
    }

    public static void MakeFifo(string path)
    {
        if (mkfifo(path, Convert.ToUInt32("644", 8)) != 0)
            throw new IOException($"mkfifo {path} failed (errno {Marshal.GetLastPInvokeError()})");
    }

    [DllImport("libc", SetLastError = true)]
    static extern int mkfifo(string path, uint mode);
}
