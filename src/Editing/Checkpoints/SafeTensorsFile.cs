using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Checkpoints;

/// <summary>
/// The safetensors format: an 8-byte little-endian header length, a JSON header naming every tensor's dtype, shape and
/// byte range, then the raw little-endian data. Tensors keep the order of the header's offsets.
/// </summary>
public static class SafeTensorsFile
{
    /// <summary>Upper bound on the JSON header, so a corrupt length cannot make us allocate gigabytes.</summary>
    const long MaxHeaderBytes = 100L * 1024 * 1024;

    public static StateDict Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    public static StateDict Read(Stream stream, string name)
    {
        Span<byte> lenBytes = stackalloc byte[8];
        stream.ReadExactly(lenBytes);
        long headerLen = BinaryPrimitives.ReadInt64LittleEndian(lenBytes);
        if (headerLen <= 0 || headerLen > MaxHeaderBytes || headerLen > stream.Length - 8)
            throw new CheckpointFormatException(name, $"safetensors header length {headerLen} is not plausible");
        var headerBytes = new byte[headerLen];
        stream.ReadExactly(headerBytes);
        JsonObject header;
        try { header = JsonNode.Parse(headerBytes)?.AsObject() ?? throw new JsonException("empty header"); }
        catch (JsonException e) { throw new CheckpointFormatException(name, $"safetensors header is not valid JSON: {e.Message}"); }

        long dataStart = 8 + headerLen;
        long dataLen = stream.Length - dataStart;
        var result = new StateDict();
        var entries = new List<(string Name, string DType, long[] Shape, long Begin, long End)>();
        foreach (var (key, node) in header)
        {
            if (key == "__metadata__")
            {
                foreach (var (mk, mv) in node!.AsObject()) result.Metadata[mk] = mv?.GetValue<string>() ?? "";
                continue;
            }
            var o = node!.AsObject();
            var dtype = o["dtype"]!.GetValue<string>();
            var shape = o["shape"]!.AsArray().Select(s => s!.GetValue<long>()).ToArray();
            var offs = o["data_offsets"]!.AsArray();
            long begin = offs[0]!.GetValue<long>(), end = offs[1]!.GetValue<long>();
            if (begin < 0 || end < begin || end > dataLen)
                throw new CheckpointFormatException(name, $"tensor '{key}' has data offsets [{begin},{end}) outside the {dataLen}-byte data section");
            long expected = shape.Aggregate(1L, (a, b) => a * b) * DTypes.SafeTensorsElementSize(dtype, name, key);
            if (end - begin != expected)
                throw new CheckpointFormatException(name, $"tensor '{key}' holds {end - begin} bytes but {dtype}{DTypes.ShapeText(shape)} needs {expected}");
            entries.Add((key, dtype, shape, begin, end));
        }
        foreach (var e in entries.OrderBy(e => e.Begin))
        {
            var bytes = new byte[e.End - e.Begin];
            stream.Position = dataStart + e.Begin;
            stream.ReadExactly(bytes);
            result.Add(e.Name, DTypes.FromLittleEndianBytes(bytes, DTypes.FromSafeTensors(e.DType, name, e.Name), e.Shape));
        }
        return result;
    }

    /// <summary>Writes tensors in the given order; <paramref name="halfPrecision"/> stores float32 tensors as F16.</summary>
    public static void Write(string path, StateDict tensors, bool halfPrecision = false)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var tmp = path + ".tmp";
        using (var fs = File.Create(tmp))
            Write(fs, tensors, halfPrecision);
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>The same bytes as <see cref="Write(string, StateDict, bool)"/>, to a stream (stage payloads travel in memory).</summary>
    public static void Write(Stream stream, StateDict tensors, bool halfPrecision = false)
    {
        var header = new JsonObject();
        if (tensors.Metadata.Count > 0)
        {
            var meta = new JsonObject();
            foreach (var (k, v) in tensors.Metadata) meta[k] = v;
            header["__metadata__"] = meta;
        }
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            using var scope = NewDisposeScope();
            var t = tensor.detach().cpu().contiguous();
            if (halfPrecision && t.dtype == ScalarType.Float32) t = t.to_type(ScalarType.Float16);
            var bytes = DTypes.ToLittleEndianBytes(t);
            header[name] = new JsonObject
            {
                ["dtype"] = DTypes.ToSafeTensors(t.dtype),
                ["shape"] = new JsonArray(t.shape.Select(s => (JsonNode)s).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes.Length),
            };
            blobs.Add(bytes);
            offset += bytes.Length;
        }
        var json = System.Text.Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(len, padded);
        stream.Write(len);
        stream.Write(json);
        for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
        foreach (var b in blobs) stream.Write(b);
    }
}
