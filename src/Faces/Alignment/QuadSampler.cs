using Pipeline.Editing.Imaging;

namespace Pipeline.Faces.Alignment;

/// <summary>
/// The recipe's last step, Pillow's QUAD transform with bilinear filtering: output pixel (x, y) samples the image at the
/// bilinear map of (x + 0.5, y + 0.5) through the four corners (given in Pillow's coordinates, where pixel centres are at
/// half-integers); a sample outside the image is black, one within reads its 2×2 neighbourhood with edges clamped.
/// </summary>
internal static class QuadSampler
{
    /// <param name="corners">top-left, bottom-left, bottom-right, top-right in Pillow's coordinates</param>
    public static RgbImage Sample(RgbImage image, Point2[] corners, int size)
    {
        var (nw, sw, se, ne) = (corners[0], corners[1], corners[2], corners[3]);
        double scaleX = 1.0 / size, scaleY = 1.0 / size;
        double a0 = nw.X, a1 = (ne.X - nw.X) * scaleX, a2 = (sw.X - nw.X) * scaleY, a3 = (se.X - sw.X - ne.X + nw.X) * scaleX * scaleY;
        double a4 = nw.Y, a5 = (ne.Y - nw.Y) * scaleX, a6 = (sw.Y - nw.Y) * scaleY, a7 = (se.Y - sw.Y - ne.Y + nw.Y) * scaleX * scaleY;
        var output = new byte[size * size * 3];
        var src = image.Rgb;
        int width = image.Width, height = image.Height;
        for (var y = 0; y < size; y++)
        {
            var yin = y + 0.5;
            for (var x = 0; x < size; x++)
            {
                var xin = x + 0.5;
                var sx = a0 + a1 * xin + a2 * yin + a3 * xin * yin;
                var sy = a4 + a5 * xin + a6 * yin + a7 * xin * yin;
                if (sx < 0.0 || sx >= width || sy < 0.0 || sy >= height)
                    continue;
                sx -= 0.5;
                sy -= 0.5;
                var ix = (int)Math.Floor(sx);
                var iy = (int)Math.Floor(sy);
                double dx = sx - ix, dy = sy - iy;
                int x0 = Math.Clamp(ix, 0, width - 1), x1 = Math.Clamp(ix + 1, 0, width - 1);
                var row0 = Math.Clamp(iy, 0, height - 1) * width * 3;
                var hasRow1 = iy + 1 >= 0 && iy + 1 < height;
                var row1 = hasRow1 ? (iy + 1) * width * 3 : row0;
                var o = (y * size + x) * 3;
                for (var c = 0; c < 3; c++)
                {
                    double p00 = src[row0 + x0 * 3 + c], p01 = src[row0 + x1 * 3 + c];
                    var v1 = p00 + (p01 - p00) * dx;
                    double v2;
                    if (hasRow1)
                    {
                        double p10 = src[row1 + x0 * 3 + c], p11 = src[row1 + x1 * 3 + c];
                        v2 = p10 + (p11 - p10) * dx;
                    }
                    else
                        v2 = v1;
                    output[o + c] = (byte)(v1 + (v2 - v1) * dy);
                }
            }
        }
        return new RgbImage(size, size, output);
    }
}
