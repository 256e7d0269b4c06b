using System.Buffers.Binary;
using System.Collections;
using System.Text;
using static TorchSharp.torch;
using Op = Pipeline.Editing.Checkpoints.PickleOpcodes;

namespace Pipeline.Editing.Checkpoints;

/// <summary>
/// Writes a value tree as a protocol-2 pickle in the shape torch.save produces, using only opcodes that
/// <see cref="RestrictedUnpickler"/> and torch's own <c>weights_only</c> unpickler accept. Tensors become
/// <c>_rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict())</c> with a storage persistent id; the
/// storage bytes themselves are handed to <paramref name="storageKeyFor"/>, which returns the record key.
/// </summary>
internal sealed class PickleWriter(Func<Tensor, string> storageKeyFor)
{
    const int Protocol = 2;
    /// <summary>Python's pickler splits SETITEMS/APPENDS into batches of this size; we do the same.</summary>
    const int BatchSize = 1000;

    readonly MemoryStream _out = new();

    public byte[] Pickle(object? root)
    {
        _out.WriteByte(Op.Proto);
        _out.WriteByte(Protocol);
        Write(root);
        _out.WriteByte(Op.Stop);
        return _out.ToArray();
    }

    void Write(object? v)
    {
        switch (v)
        {
            case null: _out.WriteByte(Op.None); break;
            case bool b: _out.WriteByte(b ? Op.NewTrue : Op.NewFalse); break;
            case int i: WriteInt(i); break;
            case long l: WriteInt(l); break;
            case float f: WriteFloat(f); break;
            case double d: WriteFloat(d); break;
            case string s: WriteString(s); break;
            case Tensor t: WriteTensor(t); break;
            case StateDict sd: WriteDict(sd.Select(kv => new KeyValuePair<object, object?>(kv.Key, kv.Value)), ordered: true); break;
            case PickleDict pd:
                WriteDict(pd, pd.IsOrderedDict);
                if (pd.Attributes is not null)
                {
                    Write(pd.Attributes);
                    _out.WriteByte(Op.Build);
                }
                break;
            case PickleTuple t: WriteTuple(t.Items); break;
            case IEnumerable<KeyValuePair<string, object?>> d: WriteDict(d.Select(kv => new KeyValuePair<object, object?>(kv.Key, kv.Value)), ordered: false); break;
            case IList list: WriteList(list.Cast<object?>()); break;
            default: throw new ArgumentException($"cannot pickle a {v.GetType().Name}: only dicts, lists, tuples, str, int, float, bool, None and tensors");
        }
    }

    void WriteInt(long v)
    {
        if (v is >= 0 and <= byte.MaxValue) { _out.WriteByte(Op.BinInt1); _out.WriteByte((byte)v); return; }
        Span<byte> b = stackalloc byte[8];
        if (v is >= 0 and <= ushort.MaxValue)
        {
            _out.WriteByte(Op.BinInt2);
            BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)v);
            _out.Write(b[..2]);
            return;
        }
        if (v is >= int.MinValue and <= int.MaxValue)
        {
            _out.WriteByte(Op.BinInt);
            BinaryPrimitives.WriteInt32LittleEndian(b, (int)v);
            _out.Write(b[..4]);
            return;
        }
        // LONG1: the shortest little-endian two's complement that keeps the sign.
        BinaryPrimitives.WriteInt64LittleEndian(b, v);
        int n = 8;
        while (n > 1 && ((b[n - 1] == 0 && (b[n - 2] & 0x80) == 0) || (b[n - 1] == 0xFF && (b[n - 2] & 0x80) != 0))) n--;
        _out.WriteByte(Op.Long1);
        _out.WriteByte((byte)n);
        _out.Write(b[..n]);
    }

    void WriteFloat(double d)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(b, d);
        _out.WriteByte(Op.BinFloat);
        _out.Write(b);
    }

    void WriteString(string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)bytes.Length);
        _out.WriteByte(Op.BinUnicode);
        _out.Write(len);
        _out.Write(bytes);
    }

    void WriteGlobal(string module, string name)
    {
        _out.WriteByte(Op.Global);
        _out.Write(Encoding.ASCII.GetBytes(module + "\n" + name + "\n"));
    }

    void WriteDict(IEnumerable<KeyValuePair<object, object?>> items, bool ordered)
    {
        if (ordered)
        {
            WriteGlobal("collections", "OrderedDict");
            _out.WriteByte(Op.EmptyTuple);
            _out.WriteByte(Op.Reduce);
        }
        else _out.WriteByte(Op.EmptyDict);
        foreach (var batch in items.Chunk(BatchSize))
        {
            _out.WriteByte(Op.Mark);
            foreach (var (k, v) in batch)
            {
                Write(k);
                Write(v);
            }
            _out.WriteByte(Op.SetItems);
        }
    }

    void WriteList(IEnumerable<object?> items)
    {
        _out.WriteByte(Op.EmptyList);
        foreach (var batch in items.Chunk(BatchSize))
        {
            _out.WriteByte(Op.Mark);
            foreach (var v in batch) Write(v);
            _out.WriteByte(Op.Appends);
        }
    }

    void WriteTuple(IReadOnlyList<object?> items)
    {
        switch (items.Count)
        {
            case 0: _out.WriteByte(Op.EmptyTuple); return;
            case 1: Write(items[0]); _out.WriteByte(Op.Tuple1); return;
            case 2: Write(items[0]); Write(items[1]); _out.WriteByte(Op.Tuple2); return;
            case 3: Write(items[0]); Write(items[1]); Write(items[2]); _out.WriteByte(Op.Tuple3); return;
        }
        _out.WriteByte(Op.Mark);
        foreach (var v in items) Write(v);
        _out.WriteByte(Op.Tuple);
    }

    void WriteTensor(Tensor t)
    {
        var storageClass = TorchSaveGlobals.StorageClassFor(t.dtype);
        long[] size = t.shape;
        var stride = new long[size.Length];  // the storage is written contiguous, so the strides are row-major
        long step = 1;
        for (int i = size.Length - 1; i >= 0; i--)
        {
            stride[i] = step;
            step *= Math.Max(1, size[i]);
        }
        WriteGlobal("torch._utils", "_rebuild_tensor_v2");
        _out.WriteByte(Op.Mark);
        _out.WriteByte(Op.Mark);
        WriteString("storage");
        WriteGlobal(storageClass.Module, storageClass.Name);
        WriteString(storageKeyFor(t));
        WriteString("cpu");
        WriteInt(t.numel());
        _out.WriteByte(Op.Tuple);
        _out.WriteByte(Op.BinPersId);
        WriteInt(0);
        WriteTuple(size.Select(s => (object?)s).ToArray());
        WriteTuple(stride.Select(s => (object?)s).ToArray());
        _out.WriteByte(Op.NewFalse);
        WriteDict([], ordered: true);
        _out.WriteByte(Op.Tuple);
        _out.WriteByte(Op.Reduce);
    }
}
