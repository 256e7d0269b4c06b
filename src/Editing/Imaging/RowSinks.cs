using SkiaSharp;

namespace Pipeline.Editing.Imaging;

/// <summary>Takes decoded rows (RGBA, unpremultiplied, stored frame) one at a time and keeps only what the result needs,
/// so that no buffer of the declared canvas is made for it.</summary>
internal abstract class RowSink
{
    /// <summary>The rows [FirstRow, EndRow) the sink needs; the decoder skips the others.</summary>
    public abstract int FirstRow { get; }
    public abstract int EndRow { get; }

    public abstract void Add(int y, ReadOnlySpan<byte> rgba);

    public abstract RgbImage Result();

    /// <summary>Straight (unpremultiplied) alpha over white: a transparent background should not turn black.</summary>
    protected static void Flatten(ReadOnlySpan<byte> rgba, Span<byte> rgb)
    {
        for (int i = 0, n = rgb.Length / 3; i < n; i++)
        {
            byte r = rgba[4 * i], g = rgba[4 * i + 1], b = rgba[4 * i + 2], a = rgba[4 * i + 3];
            if (a != 255)
            {
                r = (byte)Math.Round(r * a / 255.0 + 255 - a);
                g = (byte)Math.Round(g * a / 255.0 + 255 - a);
                b = (byte)Math.Round(b * a / 255.0 + 255 - a);
            }
            rgb[3 * i] = r; rgb[3 * i + 1] = g; rgb[3 * i + 2] = b;
        }
    }
}

/// <summary>Keeps one rectangle (the whole canvas, or the centre crop) at full resolution.</summary>
internal sealed class CropSink(SKRectI rect) : RowSink
{
    readonly byte[] _rgb = new byte[checked(rect.Width * rect.Height * 3)];

    public override int FirstRow => rect.Top;
    public override int EndRow => rect.Bottom;

    public override void Add(int y, ReadOnlySpan<byte> rgba) =>
        Flatten(rgba.Slice(4 * rect.Left, 4 * rect.Width), _rgb.AsSpan(3 * (y - rect.Top) * rect.Width, 3 * rect.Width));

    public override RgbImage Result() => new(rect.Width, rect.Height, _rgb);
}

/// <summary>Averages boxes of <c>kx</c>×<c>ky</c> pixels (the last ones partial) as the rows stream by: a reduction
/// before the resize to the models' size that keeps one row of sums.</summary>
internal sealed class BoxSink : RowSink
{
    readonly int _width, _height, _kx, _ky, _outWidth;
    readonly long[] _sums;
    readonly byte[] _row, _rgb;

    public BoxSink(int width, int height, int kx, int ky)
    {
        (_width, _height, _kx, _ky) = (width, height, kx, ky);
        _outWidth = (width + kx - 1) / kx;
        OutHeight = (height + ky - 1) / ky;
        _sums = new long[_outWidth * 3];
        _row = new byte[width * 3];
        _rgb = new byte[checked(_outWidth * OutHeight * 3)];
    }

    public int OutWidth => _outWidth;
    public int OutHeight { get; }
    public override int FirstRow => 0;
    public override int EndRow => _height;

    public override void Add(int y, ReadOnlySpan<byte> rgba)
    {
        Flatten(rgba[..(4 * _width)], _row);
        for (int x = 0; x < _width; x++)
        {
            int o = 3 * (x / _kx), i = 3 * x;
            _sums[o] += _row[i]; _sums[o + 1] += _row[i + 1]; _sums[o + 2] += _row[i + 2];
        }
        if (y % _ky != _ky - 1 && y != _height - 1) return;
        int rows = y % _ky + 1, outY = y / _ky;
        for (int ox = 0; ox < _outWidth; ox++)
        {
            long n = (long)rows * (Math.Min(_width, (ox + 1) * _kx) - ox * _kx);
            for (int c = 0; c < 3; c++)
            {
                _rgb[3 * (outY * _outWidth + ox) + c] = (byte)((_sums[3 * ox + c] + n / 2) / n);
                _sums[3 * ox + c] = 0;
            }
        }
    }

    public override RgbImage Result() => new(_outWidth, OutHeight, _rgb);

    /// <summary>A result decoded already at the reduced size by the codec itself.</summary>
    public RgbImage FromScaled(ReadOnlySpan<byte> rgba)
    {
        Flatten(rgba, _rgb);
        return Result();
    }
}

/// <summary>The area resize to <c>outWidth</c>×<c>outHeight</c> as <c>adaptive_avg_pool2d</c> computes it (output i
/// averages the source [⌊i·W/S⌋, ⌈(i+1)·W/S⌉)), summed as the rows stream by; only the result is held. It differs
/// from the float resize of the whole canvas only by the rounding to 8 bits (at most half a level).</summary>
internal sealed class AreaSink : RowSink
{
    readonly int _width, _height, _outWidth, _outHeight;
    readonly (int First, int Last)[] _columns, _rows;
    readonly double[] _sums;
    readonly byte[] _row;

    public AreaSink(int width, int height, int outWidth, int outHeight)
    {
        (_width, _height, _outWidth, _outHeight) = (width, height, outWidth, outHeight);
        _columns = Windows(width, outWidth);
        _rows = Windows(height, outHeight);
        _sums = new double[checked(outWidth * outHeight * 3)];
        _row = new byte[width * 3];
    }

    /// <summary>For each source index, the first and last output whose window holds it.</summary>
    static (int First, int Last)[] Windows(int size, int outSize)
    {
        var map = Enumerable.Repeat((First: int.MaxValue, Last: -1), size).ToArray();
        for (int o = 0; o < outSize; o++)
            for (int s = Start(o, size, outSize); s < Start(o + 1, size, outSize, ceiling: true); s++)
                map[s] = (Math.Min(map[s].First, o), Math.Max(map[s].Last, o));
        return map;
    }

    static int Start(int o, int size, int outSize, bool ceiling = false) =>
        (int)(ceiling ? ((long)o * size + outSize - 1) / outSize : (long)o * size / outSize);

    static int Count(int o, int size, int outSize) => Start(o + 1, size, outSize, ceiling: true) - Start(o, size, outSize);

    public override int FirstRow => 0;
    public override int EndRow => _height;

    public override void Add(int y, ReadOnlySpan<byte> rgba)
    {
        Flatten(rgba[..(4 * _width)], _row);
        var (firstRow, lastRow) = _rows[y];
        for (int oy = firstRow; oy <= lastRow; oy++)
        {
            int line = oy * _outWidth * 3;
            for (int x = 0; x < _width; x++)
            {
                var (first, last) = _columns[x];
                for (int ox = first; ox <= last; ox++)
                {
                    int o = line + 3 * ox;
                    _sums[o] += _row[3 * x]; _sums[o + 1] += _row[3 * x + 1]; _sums[o + 2] += _row[3 * x + 2];
                }
            }
        }
    }

    public override RgbImage Result()
    {
        var rgb = new byte[_sums.Length];
        for (int oy = 0; oy < _outHeight; oy++)
            for (int ox = 0; ox < _outWidth; ox++)
            {
                double n = (double)Count(oy, _height, _outHeight) * Count(ox, _width, _outWidth);
                for (int c = 0; c < 3; c++)
                {
                    int o = 3 * (oy * _outWidth + ox) + c;
                    rgb[o] = (byte)Math.Round(_sums[o] / n);
                }
            }
        return new RgbImage(_outWidth, _outHeight, rgb);
    }
}
