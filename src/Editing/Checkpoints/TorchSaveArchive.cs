using System.IO.Compression;
using System.Text;
using static TorchSharp.torch;

namespace Pipeline.Editing.Checkpoints;

/// <summary>
/// The zip container torch.save has written since PyTorch 1.6: <c>&lt;archive&gt;/data.pkl</c> (the pickled object),
/// <c>&lt;archive&gt;/data/&lt;key&gt;</c> (one raw little-endian record per storage), <c>&lt;archive&gt;/version</c> and, from
/// torch 1.10 on, <c>&lt;archive&gt;/byteorder</c>. Storages are read only when a tensor refers to them, each once.
/// Declared sizes are checked against what the pickle needs before any read, so a crafted archive cannot make us
/// inflate or allocate more than the tensors it describes.
/// </summary>
public sealed class TorchSaveArchive : ITorchStorageSource, IDisposable
{
    /// <summary>data.pkl of the full pSp (792 entries) is ~100 KB; anything near this bound is not a state dict.</summary>
    public const long MaxPickleBytes = 256L * 1024 * 1024;
    /// <summary>torch.save stores records uncompressed; a deflated entry may expand at most this much (zip-bomb guard).</summary>
    public const long MaxCompressionRatio = 100;
    const int MaxByteOrderBytes = 16;
    /// <summary>Records this small cannot be a bomb, and deflate's fixed overhead makes their ratio meaningless.</summary>
    const long SmallRecordBytes = 4096;

    readonly ZipArchive _zip;
    readonly Dictionary<string, ZipArchiveEntry> _entries;
    readonly Dictionary<string, Tensor> _storages = new(StringComparer.Ordinal);

    TorchSaveArchive(string file, ZipArchive zip, Dictionary<string, ZipArchiveEntry> entries, string prefix)
    {
        File = file;
        _zip = zip;
        _entries = entries;
        Prefix = prefix;
    }

    public string File { get; }

    /// <summary>The archive's top-level folder (torch uses the file's stem, e.g. <c>psp_container_subset</c>).</summary>
    public string Prefix { get; }

    public static TorchSaveArchive Open(string path)
    {
        Stream? stream = null;
        try
        {
            stream = System.IO.File.OpenRead(path);
            var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
            var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
            foreach (var e in zip.Entries) entries.TryAdd(e.FullName, e);
            var pickles = entries.Keys.Where(n => n.EndsWith("/data.pkl", StringComparison.Ordinal) && n.IndexOf('/') == n.Length - "/data.pkl".Length).ToList();
            if (entries.Keys.Any(n => n.EndsWith("/constants.pkl", StringComparison.Ordinal) || n.Contains("/code/", StringComparison.Ordinal)))
                throw new CheckpointFormatException(path, "this is a TorchScript archive (torch.jit.save), not a torch.save checkpoint; save model.state_dict() with torch.save");
            if (pickles.Count != 1)
                throw new CheckpointFormatException(path, pickles.Count == 0
                    ? "zip archive has no <archive>/data.pkl: not a torch.save checkpoint"
                    : $"zip archive has {pickles.Count} data.pkl records: {string.Join(", ", pickles)}");
            var archive = new TorchSaveArchive(path, zip, entries, pickles[0][..^"/data.pkl".Length]);
            archive.CheckByteOrder();
            return archive;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            stream?.Dispose();
            throw new CheckpointFormatException(path, $"broken or truncated zip archive ({e.Message})");
        }
        catch
        {
            stream?.Dispose();
            throw;
        }
    }

    void CheckByteOrder()
    {
        if (!_entries.TryGetValue(Prefix + "/byteorder", out var entry)) return;  // before torch 1.10: always little
        var order = Encoding.ASCII.GetString(ReadEntry(entry, Math.Min(entry.Length, MaxByteOrderBytes), "byteorder")).Trim();
        if (order == "little") return;
        throw new CheckpointFormatException(File, order == "big"
            ? "checkpoint was saved on a big-endian machine (byteorder 'big'); only little-endian checkpoints are supported: re-save it on a little-endian machine"
            : $"unknown byteorder record '{order}'");
    }

    public byte[] ReadPickle()
    {
        var entry = _entries[Prefix + "/data.pkl"];
        if (entry.Length > MaxPickleBytes)
            throw new CheckpointFormatException(File, $"data.pkl declares {entry.Length} bytes, more than the {MaxPickleBytes} a state dict needs");
        return ReadEntry(entry, entry.Length, "data.pkl");
    }

    /// <summary>The whole storage as a 1-D tensor of <see cref="TorchStorageRef.Numel"/> elements, read on first use.</summary>
    public Tensor Storage(TorchStorageRef storage)
    {
        if (_storages.TryGetValue(storage.Key, out var cached))
        {
            if (cached.dtype != storage.DType || cached.shape[0] != storage.Numel)
                throw new CheckpointFormatException(File, $"storage '{storage.Key}' is referenced both as {DTypes.TorchName(cached.dtype)}[{cached.shape[0]}] and {DTypes.TorchName(storage.DType)}[{storage.Numel}]");
            return cached;
        }
        var name = $"{Prefix}/data/{storage.Key}";
        if (!_entries.TryGetValue(name, out var entry))
            throw new CheckpointFormatException(File, $"storage record '{name}' is missing from the archive");
        long bytes = storage.ByteLength;
        if (entry.Length != bytes)
            throw new CheckpointFormatException(File, $"storage record '{name}' holds {entry.Length} bytes but {DTypes.TorchName(storage.DType)}[{storage.Numel}] needs {bytes}");
        if (bytes > Array.MaxLength)
            throw new CheckpointFormatException(File, $"storage record '{name}' ({bytes} bytes) is larger than one buffer can hold");
        var data = ReadEntry(entry, bytes, name);
        var t = DTypes.FromLittleEndianBytes(data, storage.DType, [storage.Numel]);
        _storages[storage.Key] = t;
        return t;
    }

    byte[] ReadEntry(ZipArchiveEntry entry, long length, string what)
    {
        if (entry.Length > SmallRecordBytes && entry.Length > entry.CompressedLength * MaxCompressionRatio)
            throw new CheckpointFormatException(File, $"record '{what}' claims to expand {entry.CompressedLength} bytes to {entry.Length}; refused as a possible zip bomb");
        var buffer = new byte[length];
        try
        {
            using var s = entry.Open();
            s.ReadExactly(buffer);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            throw new CheckpointFormatException(File, $"record '{what}' cannot be read: broken or truncated zip archive ({e.Message})");
        }
        // System.IO.Compression does not check STORED records; torch (miniz) does, and so must we to catch corruption.
        if (length == entry.Length && Crc32.Compute(buffer) != entry.Crc32)
            throw new CheckpointFormatException(File, $"record '{what}' fails its CRC-32 check: the file is corrupt");
        return buffer;
    }

    /// <summary>Releases the archive and this reader's handles on the storages (tensors built on them stay valid).</summary>
    public void Dispose()
    {
        foreach (var t in _storages.Values) t.Dispose();
        _storages.Clear();
        _zip.Dispose();
    }
}
