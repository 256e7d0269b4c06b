namespace Pipeline.Editing.Imaging;

/// <summary>
/// Bounds checked before an image is decoded, so a decompression bomb (a small file declaring a huge canvas) or an
/// oversized upload fails with a clear error instead of exhausting memory.
/// </summary>
public sealed record ImageLimits
{
    public long MaxFileBytes { get; init; } = 64L * 1024 * 1024;
    public long MaxPixels { get; init; } = 64L * 1024 * 1024;
    public static ImageLimits Default { get; } = new();
}
