using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Pipeline.Editing.Checkpoints;

/// <summary>Element types shared by the safetensors and torch.save readers, and raw little-endian conversion.</summary>
public static class DTypes
{
    public static string ShapeText(IEnumerable<long> shape) => "[" + string.Join(",", shape) + "]";

    public static ScalarType FromSafeTensors(string dtype, string file, string key) => dtype switch
    {
        "F32" => ScalarType.Float32,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "F64" => ScalarType.Float64,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "I16" => ScalarType.Int16,
        "I8" => ScalarType.Int8,
        "U8" => ScalarType.Byte,
        "BOOL" => ScalarType.Bool,
        _ => throw new CheckpointFormatException(file, $"tensor '{key}' has unsupported dtype '{dtype}'"),
    };

    public static long SafeTensorsElementSize(string dtype, string file, string key) => ElementSize(FromSafeTensors(dtype, file, key));

    public static string ToSafeTensors(ScalarType t) => t switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Float64 => "F64",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException($"dtype {t} has no safetensors name"),
    };

    /// <summary>Python-side names as torch prints them (for inspect output and keys.json comparisons).</summary>
    public static string TorchName(ScalarType t) => t switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.Float16 => "float16",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float64 => "float64",
        ScalarType.Int64 => "int64",
        ScalarType.Int32 => "int32",
        ScalarType.Int16 => "int16",
        ScalarType.Int8 => "int8",
        ScalarType.Byte => "uint8",
        ScalarType.Bool => "bool",
        _ => t.ToString().ToLowerInvariant(),
    };

    public static long ElementSize(ScalarType t) => t switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        _ => throw new NotSupportedException($"dtype {t}"),
    };

    /// <summary>Builds a CPU tensor from little-endian bytes (this machine is little-endian, as every libtorch target).</summary>
    public static Tensor FromLittleEndianBytes(byte[] bytes, ScalarType dtype, long[] shape)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian hosts are not supported");
        var t = empty(shape, dtype);
        if (bytes.Length > 0) t.bytes = bytes;
        return t;
    }

    public static byte[] ToLittleEndianBytes(Tensor t) => Runtime.TensorCopy.ContiguousBytes(t);
}
