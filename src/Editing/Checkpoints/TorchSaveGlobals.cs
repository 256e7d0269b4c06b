using static TorchSharp.torch;

namespace Pipeline.Editing.Checkpoints;

/// <summary>What an allowed pickle global stands for.</summary>
public enum TorchSaveGlobalKind
{
    /// <summary><c>collections.OrderedDict</c>: the container <c>state_dict()</c> returns.</summary>
    OrderedDict,
    /// <summary><c>torch._utils._rebuild_tensor_v2</c>: a tensor as a view (offset, size, stride) into a storage.</summary>
    RebuildTensorV2,
    /// <summary><c>torch._utils._rebuild_tensor</c>: the same view, as torch &lt; 0.4 pickled it (legacy files).</summary>
    RebuildTensorV1,
    /// <summary>
    /// <c>torch._utils._rebuild_parameter</c>: an <c>nn.Parameter</c> wrapping an already rebuilt tensor. Dicts made with
    /// <c>state_dict(keep_vars=True)</c> or by hand from module attributes hold Parameters instead of plain tensors; the
    /// call only wraps its first argument, so accepting it runs nothing.
    /// </summary>
    RebuildParameter,
    /// <summary>A storage class (<c>torch.FloatStorage</c>…), only ever a dtype tag inside a storage persistent id.</summary>
    Storage,
}

/// <summary>An allowed global as it sits on the unpickler's stack.</summary>
public sealed record TorchSaveGlobal(string Module, string Name, TorchSaveGlobalKind Kind, ScalarType StorageDType = ScalarType.Byte)
{
    public string FullName => Module + "." + Name;
}

/// <summary>
/// The allow-list of globals a torch.save'd state dict needs. Every other global (<c>os.system</c>,
/// <c>builtins.eval</c>, <c>torch.nn.*</c> modules, <c>argparse.Namespace</c>…) is refused by name before anything is
/// built, so reading a checkpoint can never run code or instantiate arbitrary classes.
/// </summary>
public static class TorchSaveGlobals
{
    static readonly Dictionary<string, TorchSaveGlobal> Allowed = Build();

    static Dictionary<string, TorchSaveGlobal> Build()
    {
        var list = new List<TorchSaveGlobal>
        {
            new("collections", "OrderedDict", TorchSaveGlobalKind.OrderedDict),
            new("torch._utils", "_rebuild_tensor_v2", TorchSaveGlobalKind.RebuildTensorV2),
            new("torch._utils", "_rebuild_tensor", TorchSaveGlobalKind.RebuildTensorV1),
            new("torch._utils", "_rebuild_parameter", TorchSaveGlobalKind.RebuildParameter),
        };
        foreach (var (name, dtype) in new (string, ScalarType)[]
                 {
                     ("FloatStorage", ScalarType.Float32), ("HalfStorage", ScalarType.Float16),
                     ("BFloat16Storage", ScalarType.BFloat16), ("DoubleStorage", ScalarType.Float64),
                     ("LongStorage", ScalarType.Int64), ("IntStorage", ScalarType.Int32),
                     ("ShortStorage", ScalarType.Int16), ("CharStorage", ScalarType.Int8),
                     ("ByteStorage", ScalarType.Byte), ("BoolStorage", ScalarType.Bool),
                     // Untyped storages count bytes; torch >= 2.0 pickles them under both module names.
                     ("UntypedStorage", ScalarType.Byte),
                 })
            list.Add(new("torch", name, TorchSaveGlobalKind.Storage, dtype));
        list.Add(new("torch.storage", "UntypedStorage", TorchSaveGlobalKind.Storage, ScalarType.Byte));
        return list.ToDictionary(g => g.FullName, StringComparer.Ordinal);
    }

    public static IEnumerable<string> AllowedNames => Allowed.Keys;

    /// <summary>The typed storage class torch.save names for a dtype (<c>FloatStorage</c> for float32…).</summary>
    public static TorchSaveGlobal StorageClassFor(ScalarType dtype) =>
        Allowed.Values.FirstOrDefault(g => g is { Kind: TorchSaveGlobalKind.Storage, Module: "torch" } && g.StorageDType == dtype && g.Name != "UntypedStorage")
        ?? throw new NotSupportedException($"dtype {dtype} has no torch storage class");

    /// <summary>The allowed global <c>module.name</c>, or a <see cref="CheckpointFormatException"/> naming it.</summary>
    public static TorchSaveGlobal Resolve(string module, string name, string file)
    {
        var full = module + "." + name;
        return Allowed.TryGetValue(full, out var g)
            ? g
            : throw new CheckpointFormatException(file, $"refused global '{full}': checkpoints may only contain tensors, dicts, lists and scalars");
    }
}
