using System.Text;
using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace Pipeline.Editing.Checkpoints;

/// <summary>
/// NumPy <c>.npy</c> arrays (format 1.0–3.0): the form InterFaceGAN-style directions ship in. Only little-endian
/// numeric dtypes in C order are accepted; object arrays (which would need pickle) are refused.
/// </summary>
public static partial class NpyFile
{
    static readonly byte[] Magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };

    public static Tensor Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic))
            throw new CheckpointFormatException(path, "not a .npy file (bad magic)");
        int major = bytes[6];
        int headerLen, headerStart;
        if (major == 1) { headerLen = BitConverter.ToUInt16(bytes, 8); headerStart = 10; }
        else if (major is 2 or 3) { headerLen = (int)BitConverter.ToUInt32(bytes, 8); headerStart = 12; }
        else throw new CheckpointFormatException(path, $".npy format version {major} is not supported");
        if (headerStart + headerLen > bytes.Length) throw new CheckpointFormatException(path, ".npy header is truncated");
        var header = Encoding.Latin1.GetString(bytes, headerStart, headerLen);

        var descr = DescrRegex().Match(header);
        var order = FortranRegex().Match(header);
        var shapeMatch = ShapeRegex().Match(header);
        if (!descr.Success || !order.Success || !shapeMatch.Success) throw new CheckpointFormatException(path, $".npy header not understood: {header.Trim()}");
        if (order.Groups[1].Value == "True") throw new CheckpointFormatException(path, "Fortran-ordered .npy arrays are not supported; save with np.ascontiguousarray");
        var shape = shapeMatch.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(long.Parse).ToArray();
        var dtype = descr.Groups[1].Value switch
        {
            "<f4" => ScalarType.Float32,
            "<f8" => ScalarType.Float64,
            "<f2" => ScalarType.Float16,
            "<i8" => ScalarType.Int64,
            "<i4" => ScalarType.Int32,
            "|u1" => ScalarType.Byte,
            "|b1" => ScalarType.Bool,
            var d => throw new CheckpointFormatException(path, $".npy dtype '{d}' is not supported (little-endian float/int only)"),
        };
        long count = shape.Aggregate(1L, (a, b) => a * b);
        long need = count * DTypes.ElementSize(dtype);
        int dataStart = headerStart + headerLen;
        if (bytes.Length - dataStart != need) throw new CheckpointFormatException(path, $".npy holds {bytes.Length - dataStart} data bytes but {DTypes.ShapeText(shape)} needs {need}");
        return DTypes.FromLittleEndianBytes(bytes[dataStart..], dtype, shape);
    }

    public static void Write(string path, Tensor t)
    {
        var c = t.detach().cpu().contiguous();
        var descr = c.dtype switch
        {
            ScalarType.Float32 => "<f4",
            ScalarType.Float64 => "<f8",
            ScalarType.Int64 => "<i8",
            _ => throw new NotSupportedException($"dtype {c.dtype} is not written to .npy"),
        };
        var shape = c.shape.Length == 1 ? $"({c.shape[0]},)" : "(" + string.Join(", ", c.shape) + ")";
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        int total = 10 + header.Length + 1;
        header += new string(' ', (64 - total % 64) % 64) + "\n";
        using var fs = File.Create(path);
        fs.Write(Magic);
        fs.WriteByte(1); fs.WriteByte(0);
        fs.Write(BitConverter.GetBytes((ushort)header.Length));
        fs.Write(Encoding.Latin1.GetBytes(header));
        fs.Write(DTypes.ToLittleEndianBytes(c));
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']+)'")] private static partial Regex DescrRegex();
    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")] private static partial Regex FortranRegex();
    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")] private static partial Regex ShapeRegex();
}
