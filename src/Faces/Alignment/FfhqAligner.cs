using Pipeline.Editing.Imaging;

namespace Pipeline.Faces.Alignment;

/// <summary>
/// Cuts a face out of a photo as the FFHQ recipe does, with the output size as the transform size (as the pSp and e4e
/// inference scripts run it): shrink the photo by floor(qsize / size / 2) when that is over 1 (<see cref="LanczosResize"/>),
/// crop to the quad plus a border of max(round(0.1·qsize), 3), pad when the quad leaves the photo by more than the
/// border less 4 (<see cref="EdgePadding"/>), then the bilinear quad transform (<see cref="QuadSampler"/>). Numbers are
/// rounded as numpy rounds them (half to even).
/// </summary>
public static class FfhqAligner
{
    /// <summary>The face of <paramref name="quad"/> as a <paramref name="size"/>² image, and the quad it really samples in
    /// photo pixels (<see cref="AlignedFace.SampledQuad"/>; after a shrink, the resize's exact scale moves it slightly).</summary>
    public static AlignedFace Align(RgbImage photo, FaceQuad quad, int size)
    {
        if (size < 8)
            throw new ArgumentOutOfRangeException(nameof(size), size, "the aligned size must be at least 8 pixels");
        var corners = quad.Corners;
        var qsize = quad.Size;
        int width = photo.Width, height = photo.Height;
        var shrink = Shrink(quad, size);
        if (shrink > 1)
        {
            (width, height) = Shrunk(photo.Width, photo.Height, shrink);
            corners = corners.Select(c => new Point2(c.X / shrink, c.Y / shrink)).ToArray();
            qsize /= shrink;
        }
        var border = Math.Max(RoundEven(qsize * 0.1), 3);
        var (minX, minY, maxX, maxY) = Bounds(corners);
        int cropLeft = Math.Max((int)Math.Floor(minX) - border, 0), cropTop = Math.Max((int)Math.Floor(minY) - border, 0);
        int cropRight = Math.Min((int)Math.Ceiling(maxX) + border, width), cropBottom = Math.Min((int)Math.Ceiling(maxY) + border, height);
        if (cropRight <= cropLeft || cropBottom <= cropTop)
            throw new ArgumentException("the face's quad lies outside the photo");
        var cropped = cropRight - cropLeft < width || cropBottom - cropTop < height;
        if (!cropped)
            (cropLeft, cropTop, cropRight, cropBottom) = (0, 0, width, height);
        var image = shrink > 1
            ? LanczosResize.Window(photo, width, height, cropLeft, cropTop, cropRight, cropBottom)
            : cropped ? Crop(photo, cropLeft, cropTop, cropRight, cropBottom) : photo;
        corners = corners.Select(c => new Point2(c.X - cropLeft, c.Y - cropTop)).ToArray();

        (minX, minY, maxX, maxY) = Bounds(corners);
        int padLeft = Math.Max(-(int)Math.Floor(minX) + border, 0), padTop = Math.Max(-(int)Math.Floor(minY) + border, 0);
        int padRight = Math.Max((int)Math.Ceiling(maxX) - image.Width + border, 0), padBottom = Math.Max((int)Math.Ceiling(maxY) - image.Height + border, 0);
        if (Math.Max(Math.Max(padLeft, padTop), Math.Max(padRight, padBottom)) > border - 4)
        {
            var least = RoundEven(qsize * 0.3);
            (padLeft, padTop, padRight, padBottom) = (Math.Max(padLeft, least), Math.Max(padTop, least), Math.Max(padRight, least), Math.Max(padBottom, least));
            image = EdgePadding.Apply(image, padLeft, padTop, padRight, padBottom, qsize * 0.02);
            corners = corners.Select(c => new Point2(c.X + padLeft, c.Y + padTop)).ToArray();
        }
        var face = QuadSampler.Sample(image, corners.Select(c => new Point2(c.X + 0.5, c.Y + 0.5)).ToArray(), size);
        return new AlignedFace(face, SampledQuad(quad, photo.Width, photo.Height, size));
    }

    /// <summary>The quad in photo pixels that a <paramref name="size"/>² alignment of <paramref name="quad"/> samples: the
    /// quad itself, or after a shrink the quad as the resized image's pixel centres ((i + 0.5)·W/w − 0.5) place it.</summary>
    public static FaceQuad SampledQuad(FaceQuad quad, int photoWidth, int photoHeight, int size)
    {
        var shrink = Shrink(quad, size);
        if (shrink <= 1)
            return quad;
        var (width, height) = Shrunk(photoWidth, photoHeight, shrink);
        double fx = (double)photoWidth / width, fy = (double)photoHeight / height;
        return quad.Map(c => new Point2((c.X / shrink + 0.5) * fx - 0.5, (c.Y / shrink + 0.5) * fy - 0.5));
    }

    private static int Shrink(FaceQuad quad, int size) => (int)Math.Floor(quad.Size / size * 0.5);

    private static (int Width, int Height) Shrunk(int width, int height, int shrink) =>
        ((int)Math.Round((double)width / shrink, MidpointRounding.ToEven), (int)Math.Round((double)height / shrink, MidpointRounding.ToEven));

    private static (double MinX, double MinY, double MaxX, double MaxY) Bounds(Point2[] corners) =>
        (corners.Min(c => c.X), corners.Min(c => c.Y), corners.Max(c => c.X), corners.Max(c => c.Y));

    private static int RoundEven(double value) => (int)Math.Round(value, MidpointRounding.ToEven);

    private static RgbImage Crop(RgbImage photo, int left, int top, int right, int bottom)
    {
        int w = right - left, h = bottom - top;
        var rgb = new byte[w * h * 3];
        for (var y = 0; y < h; y++)
            Array.Copy(photo.Rgb, ((top + y) * photo.Width + left) * 3, rgb, y * w * 3, w * 3);
        return new RgbImage(w, h, rgb);
    }
}
