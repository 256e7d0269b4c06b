namespace Pipeline.Editing.Imaging;

/// <summary>
/// Bounds checked before an image is decoded, so a decompression bomb (a small file declaring a huge canvas) or an
/// oversized upload fails with a clear error instead of exhausting memory. <see cref="MaxFileBytes"/> bounds what is
/// read; <see cref="MaxPixels"/> bounds the canvas a header may declare, checked from the header before any pixel is
/// allocated. It bounds decoding time, and memory where the whole canvas is decoded: for the models
/// (<see cref="DecodeTarget.ForModel"/>) the reader decodes row by row into an image of about the model's size, so
/// memory does not follow the canvas (<see cref="ImageReader"/> says where Skia itself buffers the canvas).
/// </summary>
public sealed record ImageLimits
{
    public long MaxFileBytes { get; init; } = 64L * 1024 * 1024;
    public long MaxPixels { get; init; } = 64L * 1024 * 1024;
    public static ImageLimits Default { get; } = new();

    /// <summary>The reason a file of <paramref name="length"/> bytes is refused, or null when it may be read.</summary>
    public string? CheckFileBytes(long length) =>
        length == 0 ? "file is empty"
        : length > MaxFileBytes ? $"file is {Megabytes(length)} MB, over the {Megabytes(MaxFileBytes)} MB limit"
        : null;

    internal string OverFileBytes() => $"file is over the {Megabytes(MaxFileBytes)} MB limit";

    static string Megabytes(long bytes) => (bytes / (1024.0 * 1024)).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
}
