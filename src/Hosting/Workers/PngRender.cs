using Pipeline.Contracts;
using Pipeline.Storage;

namespace Pipeline.Hosting.Workers;

/// <summary>An 8-bit PNG of one stage output, by role (<see cref="Pipeline.Contracts.Api.PngRoles"/>): what people look
/// at, stored in the stage bundle after the float outputs the next stage reads, so those stay one adjacent range.</summary>
public sealed record PngRender(string Role, ReadOnlyMemory<byte> Bytes)
{
    /// <summary>Adds each render to <paramref name="bundle"/>; the claim checks by role.</summary>
    public static IReadOnlyDictionary<string, BlobRef> AddAll(StageBundle.Writer bundle, IEnumerable<PngRender> renders) =>
        renders.ToDictionary(r => r.Role, r => bundle.Add(r.Bytes, MediaTypes.Png));
}
