using System.Buffers.Binary;
using Pipeline.Contracts;

namespace Pipeline.Storage;

/// <summary>All outputs a stage made for one item in one blob: the payloads one after another, then the stage's
/// manifest (the event that announced them), its length and a marker. One write per stage and item instead of one per
/// output plus a manifest; the next stage reads the slices it needs with one ranged read. The manifest inside the
/// bundle is what lets a redelivered command be acknowledged from storage: the bundle's presence means every output
/// is complete, because the blob is written whole or not at all.</summary>
public static class StageBundle
{
    public const string ContentType = "application/vnd.pipeline.stage-bundle";
    public const string Extension = "bundle";
    private static ReadOnlySpan<byte> Marker => "PLSB0001"u8;
    private const int TrailerLength = sizeof(int) + 8;

    /// <summary>Collects payloads for the bundle stored under <paramref name="name"/>; each <see cref="Add"/> returns the
    /// claim check of that payload (a slice of the bundle).</summary>
    public sealed class Writer(string name)
    {
        private readonly List<ReadOnlyMemory<byte>> _parts = [];
        private long _length;

        public string Name => name;

        public BlobRef Add(ReadOnlyMemory<byte> payload, string contentType)
        {
            var blob = new BlobRef(name, Sha256Hex.Of(payload.Span), payload.Length, contentType, _length);
            _parts.Add(payload);
            _length += payload.Length;
            return blob;
        }

        /// <summary>The bundle's bytes, ending with <paramref name="manifest"/>.</summary>
        public byte[] Build(ReadOnlySpan<byte> manifest)
        {
            var bytes = new byte[_length + manifest.Length + TrailerLength];
            var at = 0;
            foreach (var part in _parts)
            {
                part.Span.CopyTo(bytes.AsSpan(at));
                at += part.Length;
            }
            manifest.CopyTo(bytes.AsSpan(at));
            at += manifest.Length;
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), manifest.Length);
            Marker.CopyTo(bytes.AsSpan(at + sizeof(int)));
            return bytes;
        }
    }

    /// <summary>The manifest at the end of a bundle, or false when <paramref name="bundle"/> is not one (or is cut short).</summary>
    public static bool TryReadManifest(ReadOnlyMemory<byte> bundle, out ReadOnlyMemory<byte> manifest)
    {
        manifest = default;
        var span = bundle.Span;
        if (span.Length < TrailerLength || !span[^Marker.Length..].SequenceEqual(Marker))
            return false;
        var length = BinaryPrimitives.ReadInt32LittleEndian(span[^TrailerLength..]);
        var start = span.Length - TrailerLength - length;
        if (length < 0 || start < 0)
            return false;
        manifest = bundle.Slice(start, length);
        return true;
    }

    /// <summary>Length of the payload area: slices must end within it.</summary>
    public static long PayloadLength(ReadOnlyMemory<byte> bundle, ReadOnlyMemory<byte> manifest) =>
        bundle.Length - TrailerLength - manifest.Length;
}
