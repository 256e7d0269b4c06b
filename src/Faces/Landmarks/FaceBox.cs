namespace Pipeline.Faces.Landmarks;

/// <summary>A face box in source pixels as dlib writes rectangles: left, top, right, bottom, all inclusive (a box from
/// 10 to 19 is 10 pixels wide), pixel centres at integer coordinates.</summary>
public readonly record struct FaceBox(int Left, int Top, int Right, int Bottom)
{
    public int Width => Right - Left + 1;

    public int Height => Bottom - Top + 1;

    public long Area => (long)Width * Height;

    /// <summary>Intersection over union, counting pixels as dlib does (inclusive bounds).</summary>
    public double IntersectionOverUnion(FaceBox other)
    {
        var w = Math.Min(Right, other.Right) - Math.Max(Left, other.Left) + 1;
        var h = Math.Min(Bottom, other.Bottom) - Math.Max(Top, other.Top) + 1;
        if (w <= 0 || h <= 0)
            return 0;
        var inter = (double)w * h;
        return inter / (Area + other.Area - inter);
    }

    /// <summary>The square box of side <paramref name="side"/> centred on (<paramref name="cx"/>, <paramref name="cy"/>).</summary>
    public static FaceBox Square(double cx, double cy, double side)
    {
        var left = (int)Math.Round(cx - (side - 1) / 2);
        var top = (int)Math.Round(cy - (side - 1) / 2);
        var size = Math.Max(1, (int)Math.Round(side));
        return new FaceBox(left, top, left + size - 1, top + size - 1);
    }

    public int[] ToArray() => [Left, Top, Right, Bottom];
}
