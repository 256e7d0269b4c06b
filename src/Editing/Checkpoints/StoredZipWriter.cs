using System.Buffers.Binary;
using System.Text;

namespace Pipeline.Editing.Checkpoints;

/// <summary>
/// Writes an uncompressed (STORED) zip the way PyTorch's stream writer does: every record's data starts on a
/// <see cref="DataAlignment"/>-byte boundary, padded with an "FB" extra field, so torch can also memory-map the file.
/// ZIP64 fields are added only where a size or offset needs them. System.IO.Compression can neither align nor
/// promise STORED entries, hence this small writer.
/// </summary>
internal sealed class StoredZipWriter
{
    public const int DataAlignment = 64;
    const uint LocalHeaderSignature = 0x04034b50;
    const uint CentralHeaderSignature = 0x02014b50;
    const uint EndSignature = 0x06054b50;
    const uint Zip64EndSignature = 0x06064b50;
    const uint Zip64LocatorSignature = 0x07064b50;
    const ushort VersionNeeded = 20;
    const ushort VersionNeededZip64 = 45;
    const ushort Zip64ExtraId = 0x0001;
    const ushort PaddingExtraId = 0x4246;  // "FB", the id PyTorch uses for its alignment padding
    const ushort Utf8NameFlag = 1 << 11;
    const ushort DosDate1980 = (1 << 5) | 1;  // 1980-01-01: fixed, so identical input gives identical files
    const int LocalHeaderSize = 30;
    const int ExtraHeaderSize = 4;
    const uint Max32 = uint.MaxValue;
    const ushort Max16 = ushort.MaxValue;

    readonly Stream _out;
    readonly List<(byte[] Name, ushort Flags, uint Crc, long Size, long Offset)> _entries = new();

    public StoredZipWriter(Stream output) => _out = output;

    public void Add(string name, ReadOnlySpan<byte> data)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        long offset = _out.Position;
        long size = data.Length;
        bool zip64 = size >= Max32;
        int zip64Extra = zip64 ? ExtraHeaderSize + 16 : 0;
        long dataStart = offset + LocalHeaderSize + nameBytes.Length + zip64Extra + ExtraHeaderSize;
        int pad = (int)((DataAlignment - dataStart % DataAlignment) % DataAlignment);
        uint crc = Crc32.Compute(data);
        ushort flags = nameBytes.Length != name.Length ? Utf8NameFlag : (ushort)0;

        var h = new byte[LocalHeaderSize + nameBytes.Length + zip64Extra + ExtraHeaderSize + pad];
        var s = h.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(s[0..], LocalHeaderSignature);
        BinaryPrimitives.WriteUInt16LittleEndian(s[4..], zip64 ? VersionNeededZip64 : VersionNeeded);
        BinaryPrimitives.WriteUInt16LittleEndian(s[6..], flags);
        BinaryPrimitives.WriteUInt16LittleEndian(s[8..], 0);  // STORED
        BinaryPrimitives.WriteUInt16LittleEndian(s[10..], 0);
        BinaryPrimitives.WriteUInt16LittleEndian(s[12..], DosDate1980);
        BinaryPrimitives.WriteUInt32LittleEndian(s[14..], crc);
        BinaryPrimitives.WriteUInt32LittleEndian(s[18..], zip64 ? Max32 : (uint)size);
        BinaryPrimitives.WriteUInt32LittleEndian(s[22..], zip64 ? Max32 : (uint)size);
        BinaryPrimitives.WriteUInt16LittleEndian(s[26..], (ushort)nameBytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(s[28..], (ushort)(zip64Extra + ExtraHeaderSize + pad));
        nameBytes.CopyTo(s[LocalHeaderSize..]);
        int p = LocalHeaderSize + nameBytes.Length;
        if (zip64)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(s[p..], Zip64ExtraId);
            BinaryPrimitives.WriteUInt16LittleEndian(s[(p + 2)..], 16);
            BinaryPrimitives.WriteInt64LittleEndian(s[(p + 4)..], size);
            BinaryPrimitives.WriteInt64LittleEndian(s[(p + 12)..], size);
            p += zip64Extra;
        }
        BinaryPrimitives.WriteUInt16LittleEndian(s[p..], PaddingExtraId);
        BinaryPrimitives.WriteUInt16LittleEndian(s[(p + 2)..], (ushort)pad);  // padding bytes stay zero

        _out.Write(h);
        _out.Write(data);
        _entries.Add((nameBytes, flags, crc, size, offset));
    }

    /// <summary>Writes the central directory and the end records; the stream stays open.</summary>
    public void Finish()
    {
        long cdStart = _out.Position;
        foreach (var (name, flags, crc, size, offset) in _entries)
        {
            bool bigSize = size >= Max32, bigOffset = offset >= Max32;
            int extra = (bigSize ? 16 : 0) + (bigOffset ? 8 : 0);
            int extraTotal = extra > 0 ? ExtraHeaderSize + extra : 0;
            var h = new byte[46 + name.Length + extraTotal];
            var s = h.AsSpan();
            BinaryPrimitives.WriteUInt32LittleEndian(s[0..], CentralHeaderSignature);
            BinaryPrimitives.WriteUInt16LittleEndian(s[4..], extra > 0 ? VersionNeededZip64 : VersionNeeded);
            BinaryPrimitives.WriteUInt16LittleEndian(s[6..], extra > 0 ? VersionNeededZip64 : VersionNeeded);
            BinaryPrimitives.WriteUInt16LittleEndian(s[8..], flags);
            BinaryPrimitives.WriteUInt16LittleEndian(s[10..], 0);
            BinaryPrimitives.WriteUInt16LittleEndian(s[12..], 0);
            BinaryPrimitives.WriteUInt16LittleEndian(s[14..], DosDate1980);
            BinaryPrimitives.WriteUInt32LittleEndian(s[16..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(s[20..], bigSize ? Max32 : (uint)size);
            BinaryPrimitives.WriteUInt32LittleEndian(s[24..], bigSize ? Max32 : (uint)size);
            BinaryPrimitives.WriteUInt16LittleEndian(s[28..], (ushort)name.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(s[30..], (ushort)extraTotal);
            // comment length, disk number, internal and external attributes stay zero
            BinaryPrimitives.WriteUInt32LittleEndian(s[42..], bigOffset ? Max32 : (uint)offset);
            name.CopyTo(s[46..]);
            if (extra > 0)
            {
                int p = 46 + name.Length;
                BinaryPrimitives.WriteUInt16LittleEndian(s[p..], Zip64ExtraId);
                BinaryPrimitives.WriteUInt16LittleEndian(s[(p + 2)..], (ushort)extra);
                p += ExtraHeaderSize;
                if (bigSize)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(s[p..], size);
                    BinaryPrimitives.WriteInt64LittleEndian(s[(p + 8)..], size);
                    p += 16;
                }
                if (bigOffset) BinaryPrimitives.WriteInt64LittleEndian(s[p..], offset);
            }
            _out.Write(h);
        }
        long cdEnd = _out.Position;
        long cdSize = cdEnd - cdStart;
        bool zip64End = _entries.Count >= Max16 || cdStart >= Max32 || cdSize >= Max32;
        if (zip64End)
        {
            var z = new byte[56 + 20];
            var s = z.AsSpan();
            BinaryPrimitives.WriteUInt32LittleEndian(s[0..], Zip64EndSignature);
            BinaryPrimitives.WriteInt64LittleEndian(s[4..], 44);  // size of the record after this field
            BinaryPrimitives.WriteUInt16LittleEndian(s[12..], VersionNeededZip64);
            BinaryPrimitives.WriteUInt16LittleEndian(s[14..], VersionNeededZip64);
            BinaryPrimitives.WriteInt64LittleEndian(s[24..], _entries.Count);
            BinaryPrimitives.WriteInt64LittleEndian(s[32..], _entries.Count);
            BinaryPrimitives.WriteInt64LittleEndian(s[40..], cdSize);
            BinaryPrimitives.WriteInt64LittleEndian(s[48..], cdStart);
            BinaryPrimitives.WriteUInt32LittleEndian(s[56..], Zip64LocatorSignature);
            BinaryPrimitives.WriteInt64LittleEndian(s[64..], cdEnd);
            BinaryPrimitives.WriteUInt32LittleEndian(s[72..], 1);  // total number of disks
            _out.Write(z);
        }
        var e = new byte[22];
        var es = e.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(es[0..], EndSignature);
        ushort count = zip64End ? Max16 : (ushort)_entries.Count;
        BinaryPrimitives.WriteUInt16LittleEndian(es[8..], count);
        BinaryPrimitives.WriteUInt16LittleEndian(es[10..], count);
        BinaryPrimitives.WriteUInt32LittleEndian(es[12..], zip64End ? Max32 : (uint)cdSize);
        BinaryPrimitives.WriteUInt32LittleEndian(es[16..], zip64End ? Max32 : (uint)cdStart);
        _out.Write(e);
        _out.Flush();
    }
}
