using System.Buffers.Binary;
using System.Text;
using Op = Pipeline.Editing.Checkpoints.PickleOpcodes;

namespace Pipeline.Editing.Checkpoints;

/// <summary>
/// A pickle reader that understands only what a torch.save'd state dict is made of: dicts, OrderedDicts, lists,
/// tuples, str, int, float, bool, None, storages (persistent ids) and <c>_rebuild_tensor_v2</c> calls. Every global
/// outside <see cref="TorchSaveGlobals"/> and every other opcode (NEWOBJ, INST, OBJ, EXT*, sets, bytes…) is refused
/// with a <see cref="CheckpointFormatException"/> that names it. Nothing is ever looked up or called by name: the
/// result is a value tree whose tensors are still <see cref="TensorSpec"/>s, so no memory is allocated for tensor data
/// until the whole pickle has been accepted.
/// </summary>
public sealed class RestrictedUnpickler
{
    /// <summary>Highest pickle protocol (Python 3.8+ writes 5; torch.save writes 2).</summary>
    const int MaxProtocol = 5;
    /// <summary>Ints wider than this are not state-dict data (LONG1/LONG4 can encode arbitrary sizes).</summary>
    const int MaxIntegerBytes = 8;
    /// <summary>The widest element (float64/int64), so that a storage's byte length cannot overflow.</summary>
    const long MaxElementBytes = 8;

    readonly string _file;
    readonly byte[] _data;
    int _pos;
    readonly List<object?> _stack = new();
    readonly Stack<int> _marks = new();
    readonly Dictionary<long, object?> _memo = new();

    RestrictedUnpickler(byte[] data, string file)
    {
        _data = data;
        _file = file;
    }

    /// <summary>Reads one pickle; tensors come back as <see cref="TensorSpec"/>s (see <see cref="TorchSaveReader"/>).</summary>
    public static object? Load(byte[] pickle, string file) => new RestrictedUnpickler(pickle, file).Run();

    /// <summary>Reads the pickle that starts at <paramref name="offset"/> and moves it past the STOP (legacy files hold several).</summary>
    public static object? Load(byte[] data, ref int offset, string file)
    {
        var reader = new RestrictedUnpickler(data, file) { _pos = offset };
        var value = reader.Run();
        offset = reader._pos;
        return value;
    }

    object? Run()
    {
        while (true)
        {
            int at = _pos;
            byte op = ReadByte();
            switch (op)
            {
                case Op.Proto:
                    int proto = ReadByte();
                    if (proto > MaxProtocol) throw Error($"pickle protocol {proto} is newer than the supported {MaxProtocol}");
                    break;
                case Op.Frame: ReadBytes(8); break;  // framing only groups opcodes; the data follows inline
                case Op.Stop:
                    if (_stack.Count != 1 || _marks.Count != 0) throw Error($"pickle ends with {_stack.Count} values on the stack");
                    return _stack[0];

                case Op.Mark: _marks.Push(_stack.Count); break;
                case Op.Pop: PopValue(); break;
                case Op.PopMark: PopMarked(); break;
                case Op.Dup: Push(Peek()); break;

                case Op.None: Push(null); break;
                case Op.NewTrue: Push(true); break;
                case Op.NewFalse: Push(false); break;
                case Op.BinInt: Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))); break;
                case Op.BinInt1: Push((long)ReadByte()); break;
                case Op.BinInt2: Push((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2))); break;
                case Op.Long1: Push(ReadLittleEndianInteger(ReadByte())); break;
                case Op.Long4: Push(ReadLittleEndianInteger(ReadLength(4))); break;
                case Op.BinFloat: Push(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8))); break;

                case Op.BinUnicode: Push(Utf8(ReadLength(4))); break;
                case Op.ShortBinUnicode: Push(Utf8(ReadByte())); break;
                case Op.BinUnicode8: Push(Utf8(ReadLength(8))); break;
                // Python 2 str: torch.load decodes these as UTF-8.
                case Op.BinString: Push(Utf8(ReadLength(4))); break;
                case Op.ShortBinString: Push(Utf8(ReadByte())); break;

                case Op.EmptyDict: Push(new PickleDict()); break;
                case Op.EmptyList: Push(new List<object?>()); break;
                case Op.EmptyTuple: Push(PickleTuple.Empty); break;
                case Op.Tuple: Push(new PickleTuple(PopMarked())); break;
                case Op.Tuple1: { var a = PopValue(); Push(new PickleTuple([a])); break; }
                case Op.Tuple2: { var b = PopValue(); var a = PopValue(); Push(new PickleTuple([a, b])); break; }
                case Op.Tuple3: { var c = PopValue(); var b = PopValue(); var a = PopValue(); Push(new PickleTuple([a, b, c])); break; }
                case Op.List: Push(PopMarked().ToList()); break;
                case Op.Dict:
                {
                    var items = PopMarked();
                    var d = new PickleDict();
                    StoreItems(d, items);
                    Push(d);
                    break;
                }
                case Op.Append: { var v = PopValue(); ListAt(-1, op).Add(v); break; }
                case Op.Appends: { var items = PopMarked(); ListAt(-1, op).AddRange(items); break; }
                case Op.SetItem: { var v = PopValue(); var k = PopValue(); StoreItems(DictAt(-1, op), [k, v]); break; }
                case Op.SetItems: { var items = PopMarked(); StoreItems(DictAt(-1, op), items); break; }

                case Op.BinPut: _memo[ReadByte()] = Peek(); break;
                case Op.LongBinPut: _memo[ReadLength(4)] = Peek(); break;
                case Op.Memoize: _memo[_memo.Count] = Peek(); break;
                case Op.BinGet: Push(MemoGet(ReadByte())); break;
                case Op.LongBinGet: Push(MemoGet(ReadLength(4))); break;

                case Op.Global:
                {
                    var module = ReadLine();
                    var name = ReadLine();
                    Push(TorchSaveGlobals.Resolve(module, name, _file));
                    break;
                }
                case Op.StackGlobal:
                {
                    var name = PopValue();
                    var module = PopValue();
                    if (module is not string m || name is not string n)
                        throw Error($"STACK_GLOBAL needs two strings, got {PickleText.TypeName(module)} and {PickleText.TypeName(name)}");
                    Push(TorchSaveGlobals.Resolve(m, n, _file));
                    break;
                }
                case Op.Reduce: { var args = PopValue(); var callable = PopValue(); Push(Call(callable, args)); break; }
                case Op.Build: { var state = PopValue(); RestoreAttributes(Peek(), state); break; }
                case Op.BinPersId: Push(PersistentLoad(PopValue())); break;

                default:
                    throw Error($"refused pickle opcode {Op.Describe(op)} at byte {at}: checkpoints may only contain tensors, dicts, lists and scalars");
            }
        }
    }

    object? Call(object? callable, object? args)
    {
        if (callable is not TorchSaveGlobal g) throw Error($"REDUCE on a {PickleText.TypeName(callable)}, not an allowed global");
        if (args is not PickleTuple a) throw Error($"REDUCE of '{(callable as TorchSaveGlobal)?.FullName}' with {PickleText.TypeName(args)} arguments");
        switch (g.Kind)
        {
            case TorchSaveGlobalKind.OrderedDict:
                return NewOrderedDict(a);
            case TorchSaveGlobalKind.RebuildTensorV2:
                return RebuildTensor(a);
            case TorchSaveGlobalKind.RebuildTensorV1:
                // torch < 0.4: _rebuild_tensor(storage, storage_offset, size, stride), no requires_grad or hooks.
                if (a.Count != 4) throw Error($"_rebuild_tensor expects 4 arguments, got {a.Count}");
                return RebuildTensor(new PickleTuple([a[0], a[1], a[2], a[3], false, null]));
            case TorchSaveGlobalKind.RebuildParameter:
                if (a.Count is < 2 or > 3 || a[0] is not TensorSpec data)
                    throw Error("_rebuild_parameter expects (tensor, requires_grad, backward_hooks)");
                if (a.Count == 3) RequireNoHooks(a[2]);
                return data;
            default:
                throw Error($"'{g.FullName}' may only appear inside a storage persistent id, not be called");
        }
    }

    /// <summary>
    /// <c>OrderedDict()</c>, or <c>OrderedDict([[key, value], …])</c> as Python 2's pickler wrote a state dict (legacy
    /// files such as LPIPS' released weights): the pairs become the entries, nothing is called.
    /// </summary>
    PickleDict NewOrderedDict(PickleTuple a)
    {
        var d = new PickleDict(isOrderedDict: true);
        if (a.Count == 0) return d;
        if (a.Count != 1 || a[0] is not List<object?> pairs)
            throw Error("OrderedDict is only accepted with no arguments or one list of [key, value] pairs");
        foreach (var pair in pairs)
        {
            var items = pair switch
            {
                List<object?> { Count: 2 } l => l.ToArray(),
                PickleTuple { Count: 2 } t => t.Items.ToArray(),
                _ => throw Error($"OrderedDict item {PickleText.Repr(pair)} is not a [key, value] pair"),
            };
            StoreItems(d, items);
        }
        return d;
    }

    /// <summary><c>_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])</c>.</summary>
    TensorSpec RebuildTensor(PickleTuple a)
    {
        if (a.Count is < 6 or > 7) throw Error($"_rebuild_tensor_v2 expects 6 or 7 arguments, got {a.Count}");
        if (a[0] is not TorchStorageRef storage) throw Error($"_rebuild_tensor_v2 storage argument is a {PickleText.TypeName(a[0])}");
        if (a[1] is not long offset || offset < 0) throw Error("_rebuild_tensor_v2 storage offset is not a non-negative int");
        var size = Longs(a[2], "size");
        var stride = Longs(a[3], "stride");
        if (a[4] is not bool) throw Error("_rebuild_tensor_v2 requires_grad is not a bool");
        RequireNoHooks(a[5]);
        if (a.Count == 7 && a[6] is not null && !(a[6] is PickleDict { Count: 0 }))
            throw Error("_rebuild_tensor_v2 carries tensor metadata (e.g. conjugate bits), which is not supported");
        if (size.Length != stride.Length) throw Error($"tensor size {DTypes.ShapeText(size)} and stride {DTypes.ShapeText(stride)} differ in rank");
        if (size.Any(s => s < 0) || stride.Any(s => s < 0)) throw Error($"tensor size {DTypes.ShapeText(size)} or stride {DTypes.ShapeText(stride)} is negative");
        if (!size.Contains(0))
        {
            long last = offset;
            try
            {
                for (int i = 0; i < size.Length; i++)
                    last = checked(last + (size[i] - 1) * stride[i]);
            }
            catch (OverflowException)
            {
                throw Error($"tensor {DTypes.ShapeText(size)} with stride {DTypes.ShapeText(stride)} overflows 64-bit indexing");
            }
            if (last >= storage.Numel)
                throw Error($"tensor {DTypes.ShapeText(size)} (offset {offset}, stride {DTypes.ShapeText(stride)}) reaches element {last} of storage '{storage.Key}', which holds {storage.Numel}");
        }
        return new TensorSpec(storage, offset, size, stride);
    }

    void RequireNoHooks(object? hooks)
    {
        if (hooks is null || hooks is PickleDict { Count: 0 }) return;
        throw Error("a tensor carries backward hooks; a checkpoint must hold plain tensors");
    }

    long[] Longs(object? value, string what)
    {
        if (value is not PickleTuple t || t.Items.Any(i => i is not long))
            throw Error($"_rebuild_tensor_v2 {what} is not a tuple of ints");
        return t.Items.Select(i => (long)i!).ToArray();
    }

    /// <summary>
    /// torch.save's persistent id for a storage: <c>('storage', storage_class, key, location, numel)</c>, and in legacy
    /// files a sixth item, the view metadata, which torch has written as None since storages stopped having views.
    /// </summary>
    TorchStorageRef PersistentLoad(object? pid)
    {
        if (pid is not PickleTuple { Count: 5 or 6 } t || t[0] is not "storage")
            throw Error($"persistent id {PickleText.Repr(pid)} is not a torch.save storage reference");
        if (t.Count == 6 && t[5] is not null)
            throw Error($"storage {PickleText.Repr(t[2])} is a view of another storage (torch < 0.4 view metadata), which is not supported: re-save the file with a recent torch");
        if (t[1] is not TorchSaveGlobal { Kind: TorchSaveGlobalKind.Storage } cls)
            throw Error($"persistent id names {PickleText.Repr(t[1])} where a storage class belongs");
        if (t[2] is not string key || key.Length == 0 || key.Contains('/') || key.Contains('\\') || key.Contains(".."))
            throw Error($"storage key {PickleText.Repr(t[2])} is not a plain record name");
        if (t[3] is not string location) throw Error($"storage '{key}' has no location string");
        if (t[4] is not long numel || numel < 0 || numel > long.MaxValue / MaxElementBytes) throw Error($"storage '{key}' has no valid element count");
        return new TorchStorageRef(key, cls.StorageDType, numel, location);
    }

    void RestoreAttributes(object? target, object? state)
    {
        // Only the instance __dict__ of an OrderedDict (state_dict()'s _metadata) is restored; no setstate is ever run.
        if (target is not PickleDict { IsOrderedDict: true } d || state is not PickleDict s)
            throw Error($"BUILD is only accepted to restore OrderedDict attributes, not a {PickleText.TypeName(target)} with {PickleText.TypeName(state)} state");
        d.Attributes = s;
    }

    void StoreItems(PickleDict d, IReadOnlyList<object?> items)
    {
        if (items.Count % 2 != 0) throw Error("SETITEMS with an odd number of values");
        for (int i = 0; i < items.Count; i += 2)
        {
            var key = items[i];
            if (!IsHashable(key)) throw Error($"dict key of type {PickleText.TypeName(key)} is not supported");
            d[key!] = items[i + 1];
        }
    }

    static bool IsHashable(object? key) => key switch
    {
        string or long or double or bool => true,
        PickleTuple t => t.Items.All(IsHashable),
        _ => false,
    };

    List<object?> ListAt(int fromTop, byte op) =>
        Peek(fromTop) as List<object?> ?? throw Error($"{Op.Describe(op)} on a {PickleText.TypeName(Peek(fromTop))}, not a list");

    PickleDict DictAt(int fromTop, byte op) =>
        Peek(fromTop) as PickleDict ?? throw Error($"{Op.Describe(op)} on a {PickleText.TypeName(Peek(fromTop))}, not a dict");

    object? MemoGet(long index) =>
        _memo.TryGetValue(index, out var v) ? v : throw Error($"memo entry {index} is read before it is written");

    void Push(object? v) => _stack.Add(v);

    object? Peek(int fromTop = -1)
    {
        int i = _stack.Count + fromTop;
        if (i < 0 || (_marks.Count > 0 && i < _marks.Peek())) throw Error("stack underflow");
        return _stack[i];
    }

    object? PopValue()
    {
        var v = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return v;
    }

    object?[] PopMarked()
    {
        if (_marks.Count == 0) throw Error("a MARK-based opcode without a MARK");
        int start = _marks.Pop();
        var items = _stack.GetRange(start, _stack.Count - start).ToArray();
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }

    byte ReadByte()
    {
        if (_pos >= _data.Length) throw Truncated();
        return _data[_pos++];
    }

    ReadOnlySpan<byte> ReadBytes(long n)
    {
        if (n < 0 || n > _data.Length - _pos) throw Truncated();
        var span = _data.AsSpan(_pos, (int)n);
        _pos += (int)n;
        return span;
    }

    /// <summary>An unsigned little-endian length or memo index of 4 or 8 bytes, bounded by what is left to read.</summary>
    long ReadLength(int bytes)
    {
        var raw = ReadBytes(bytes);
        ulong v = bytes == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(raw) : BinaryPrimitives.ReadUInt64LittleEndian(raw);
        if (v > int.MaxValue) throw Error($"length {v} at byte {_pos - bytes} exceeds the pickle");
        return (long)v;
    }

    long ReadLittleEndianInteger(long n)
    {
        if (n > MaxIntegerBytes) throw Error($"integer of {n} bytes does not fit 64 bits");
        var raw = ReadBytes(n);
        if (n == 0) return 0;
        long v = (raw[^1] & 0x80) != 0 ? -1 : 0;  // two's complement: sign-extend from the top byte
        for (int i = (int)n - 1; i >= 0; i--) v = (v << 8) | raw[i];
        return v;
    }

    string Utf8(long n)
    {
        var raw = ReadBytes(n);
        try { return StrictUtf8.GetString(raw); }
        catch (DecoderFallbackException) { throw Error($"string at byte {_pos - n} is not valid UTF-8"); }
    }

    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    string ReadLine()
    {
        int end = Array.IndexOf(_data, (byte)'\n', _pos);
        if (end < 0) throw Truncated();
        var s = Encoding.ASCII.GetString(_data, _pos, end - _pos);
        _pos = end + 1;
        return s;
    }

    CheckpointFormatException Truncated() => new PickleTruncatedException(_file, $"pickle data ends at byte {_data.Length} without STOP (truncated data.pkl?)");

    CheckpointFormatException Error(string reason) => new(_file, reason);
}

/// <summary>The pickle ran past the bytes given: a truncated file, or (legacy files) a prefix read too short.</summary>
public sealed class PickleTruncatedException(string file, string reason) : CheckpointFormatException(file, reason);
