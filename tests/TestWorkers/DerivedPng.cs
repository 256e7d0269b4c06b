using Pipeline.Editing.Imaging;
using Pipeline.Hosting.Workers;

namespace Pipeline.TestWorkers;

/// <summary>Deterministic stand-in PNG renders: a colour ramp whose colours come from the output bytes they render, at
/// the test image size, so a page or a download shows a real image of the right size.</summary>
public static class DerivedPng
{
    public static PngRender Of(string role, ReadOnlySpan<byte> output, int size)
    {
        var rgb = new byte[size * size * 3];
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                var at = (y * size + x) * 3;
                rgb[at] = (byte)(output[0] + x * 255 / Math.Max(1, size - 1));
                rgb[at + 1] = (byte)(output[1] + y * 255 / Math.Max(1, size - 1));
                rgb[at + 2] = output[2];
            }
        return new PngRender(role, ImageWriter.EncodePng(new RgbImage(size, size, rgb)));
    }
}
