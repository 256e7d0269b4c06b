using System.Buffers.Binary;
using System.Text;
using Pipeline.Editing.Checkpoints;
using Op = Pipeline.Editing.Checkpoints.PickleOpcodes;

namespace Pipeline.Editing.Tests.Checkpoints;

/// <summary>Hand-built pickles and torch.save-layout zips, for files torch itself would never write.</summary>
internal sealed class PickleBytes
{
    readonly List<byte> _bytes = new();

    public PickleBytes Proto(byte p) => Op_(Op.Proto).Raw(p);
    public PickleBytes Op_(byte op) { _bytes.Add(op); return this; }
    public PickleBytes Raw(params byte[] b) { _bytes.AddRange(b); return this; }
    public PickleBytes Global(string module, string name) => Op_(Op.Global).Raw(Encoding.ASCII.GetBytes(module + "\n" + name + "\n"));

    public PickleBytes Str(string s)
    {
        var b = Encoding.UTF8.GetBytes(s);
        var len = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(len, b.Length);
        return Op_(Op.BinUnicode).Raw(len).Raw(b);
    }

    public PickleBytes ShortStr(string s)
    {
        var b = Encoding.UTF8.GetBytes(s);
        return Op_(Op.ShortBinUnicode).Raw((byte)b.Length).Raw(b);
    }

    public PickleBytes Int(int v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, v);
        return Op_(Op.BinInt).Raw(b);
    }

    /// <summary>A <c>_rebuild_tensor_v2</c> call on storage <paramref name="key"/> (float32, <paramref name="numel"/> elements).</summary>
    public PickleBytes Tensor(string key, int numel, int offset, int[] size, int[] stride)
    {
        Global("torch._utils", "_rebuild_tensor_v2").Op_(Op.Mark);
        Op_(Op.Mark).Str("storage").Global("torch", "FloatStorage").Str(key).Str("cpu").Int(numel).Op_(Op.Tuple).Op_(Op.BinPersId);
        Int(offset);
        Op_(Op.Mark); foreach (var s in size) Int(s); Op_(Op.Tuple);
        Op_(Op.Mark); foreach (var s in stride) Int(s); Op_(Op.Tuple);
        Op_(Op.NewFalse).Global("collections", "OrderedDict").Op_(Op.EmptyTuple).Op_(Op.Reduce);
        return Op_(Op.Tuple).Op_(Op.Reduce);
    }

    public byte[] ToArray() => _bytes.ToArray();
}

internal static class TorchZip
{
    /// <summary>A torch.save-layout archive around any pickle: <c>t/data.pkl</c>, <c>t/data/&lt;key&gt;</c>, <c>t/version</c>.</summary>
    public static string Write(byte[] pickle, IEnumerable<(string Key, byte[] Data)>? storages = null, string? byteOrder = "little")
    {
        var path = Path.Combine(Path.GetTempPath(), $"ckpt-{Guid.NewGuid():N}.pt");
        using var fs = File.Create(path);
        var zip = new StoredZipWriter(fs);
        zip.Add("t/data.pkl", pickle);
        if (byteOrder is not null) zip.Add("t/byteorder", Encoding.ASCII.GetBytes(byteOrder));
        foreach (var (key, data) in storages ?? []) zip.Add($"t/data/{key}", data);
        zip.Add("t/version", "3\n"u8);
        zip.Finish();
        return path;
    }

    public static byte[] Floats(params float[] values)
    {
        var b = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(i * sizeof(float)), values[i]);
        return b;
    }
}
