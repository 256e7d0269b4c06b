using Pipeline.Editing.Imaging;
using Pipeline.Faces.Alignment;

namespace Pipeline.Faces.PasteBack;

/// <summary>An edited face to put back: planar RGB [3, S, S] in [−1, 1] (the method's float image) and the quad it was
/// sampled from.</summary>
public sealed record EditedFace(FaceQuad Quad, int Size, float[] Planar)
{
    public EditedFace Validate() => Planar.Length == 3 * Size * Size
        ? this
        : throw new ArgumentException($"an edited face of size {Size} needs {3 * Size * Size} values, not {Planar.Length}");

    /// <summary>An 8-bit face as the method's values: u8/127.5 − 1.</summary>
    public static EditedFace FromImage(FaceQuad quad, RgbImage face)
    {
        if (face.Width != face.Height)
            throw new ArgumentException($"an aligned face is square, not {face.Width}x{face.Height}");
        var n = face.Width * face.Width;
        var planar = new float[3 * n];
        for (var i = 0; i < n; i++)
            for (var c = 0; c < 3; c++)
                planar[c * n + i] = face.Rgb[3 * i + c] / 127.5f - 1f;
        return new EditedFace(quad, face.Width, planar);
    }
}

/// <summary>
/// Puts edited faces back into their photo: every photo pixel inside a face's quad is mapped into the aligned square by
/// the inverse of the quad transform, the edited face is read there bilinearly, and the two are blended by the
/// <see cref="FeatherMask"/>; pixels the mask does not reach are copied as they are, byte for byte. Faces are pasted in
/// the order given (the largest first), each over what the previous ones left.
/// </summary>
public static class FacePaste
{
    public static RgbImage Paste(RgbImage photo, IReadOnlyList<EditedFace> faces, FeatherMask mask)
    {
        var rgb = (byte[])photo.Rgb.Clone();
        foreach (var face in faces)
            PasteOne(rgb, photo.Width, photo.Height, face.Validate(), mask);
        return new RgbImage(photo.Width, photo.Height, rgb);
    }

    private static void PasteOne(byte[] rgb, int width, int height, EditedFace face, FeatherMask mask)
    {
        var corners = face.Quad.Corners;
        int y0 = Math.Max(0, (int)Math.Floor(corners.Min(c => c.Y))), y1 = Math.Min(height - 1, (int)Math.Ceiling(corners.Max(c => c.Y)));
        var size = face.Size;
        var plane = size * size;
        var planar = face.Planar;
        // (u, v) is affine in (x, y): per row, u = u0 + du·x and v = v0 + dv·x; the row's pixels inside the square are
        // one run of x, found by solving 0 < u, v < size, so the loop touches the quad's pixels and not its bounding box.
        var (uOrigin, vOrigin) = face.Quad.FromSource(0, 0, size);
        var (uX, vX) = face.Quad.FromSource(1, 0, size);
        var (uY, vY) = face.Quad.FromSource(0, 1, size);
        double du = uX - uOrigin, dv = vX - vOrigin, duy = uY - uOrigin, dvy = vY - vOrigin;
        for (var y = y0; y <= y1; y++)
        {
            double u0 = uOrigin + duy * y, v0 = vOrigin + dvy * y;
            var (from, to) = Inside(u0, du, size, 0, width - 1);
            (from, to) = Inside(v0, dv, size, from, to);
            for (var x = from; x <= to; x++)
            {
                double u = u0 + du * x, v = v0 + dv * x;
                if (u <= 0 || v <= 0 || u >= size || v >= size)
                    continue;
                var w = mask.Weight(u, v, size);
                if (w <= 0)
                    continue;
                // Face pixel centres sit at half-integers of (u, v).
                double fx = u - 0.5, fy = v - 0.5;
                var ix = (int)Math.Floor(fx);
                var iy = (int)Math.Floor(fy);
                double dx = fx - ix, dy = fy - iy;
                int ax = Math.Clamp(ix, 0, size - 1), bx = Math.Clamp(ix + 1, 0, size - 1);
                int ay = Math.Clamp(iy, 0, size - 1), by = Math.Clamp(iy + 1, 0, size - 1);
                int tl = ay * size + ax, tr = ay * size + bx, bl = by * size + ax, br = by * size + bx;
                double wtl = (1 - dx) * (1 - dy), wtr = dx * (1 - dy), wbl = (1 - dx) * dy, wbr = dx * dy;
                var o = 3 * (y * width + x);
                for (int c = 0, p = 0; c < 3; c++, p += plane)
                {
                    var value = planar[p + tl] * wtl + planar[p + tr] * wtr + planar[p + bl] * wbl + planar[p + br] * wbr;
                    var level = Math.Clamp((value + 1) * 0.5, 0, 1) * 255;
                    rgb[o + c] = (byte)Math.Round(rgb[o + c] + (level - rgb[o + c]) * w);
                }
            }
        }
    }

    /// <summary>The x in [<paramref name="from"/>, <paramref name="to"/>] where 0 ≤ t0 + dt·x ≤ size, widened by a pixel
    /// each side (the loop's own test is exact).</summary>
    private static (int From, int To) Inside(double t0, double dt, int size, int from, int to)
    {
        if (Math.Abs(dt) < 1e-12)
            return t0 > 0 && t0 < size ? (from, to) : (1, 0);
        double a = -t0 / dt, b = (size - t0) / dt;
        if (a > b) (a, b) = (b, a);
        return (Math.Max(from, (int)Math.Floor(Math.Max(a, int.MinValue / 2.0)) - 1), Math.Min(to, (int)Math.Ceiling(Math.Min(b, int.MaxValue / 2.0)) + 1));
    }
}
