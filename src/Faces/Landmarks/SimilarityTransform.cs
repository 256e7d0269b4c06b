namespace Pipeline.Faces.Landmarks;

/// <summary>The least-squares similarity transform between two point sets (Umeyama 1991). In two dimensions its scaled
/// rotation has the closed form [[a, −b], [b, a]] with a = Σ f·t / Σ |f|², b = Σ f×t / Σ |f|² over the centred points,
/// which is what dlib's SVD-based find_similarity_transform computes.</summary>
internal static class SimilarityTransform
{
    /// <summary>(a, b) of the scaled rotation taking shape <paramref name="from"/> to <paramref name="to"/> (x, y interleaved).</summary>
    public static (double A, double B) ScaledRotation(float[] from, float[] to)
    {
        var n = from.Length / 2;
        double fx = 0, fy = 0, tx = 0, ty = 0;
        for (var i = 0; i < n; i++)
        {
            fx += from[2 * i]; fy += from[2 * i + 1];
            tx += to[2 * i]; ty += to[2 * i + 1];
        }
        fx /= n; fy /= n; tx /= n; ty /= n;
        double dot = 0, cross = 0, norm = 0;
        for (var i = 0; i < n; i++)
        {
            double ux = from[2 * i] - fx, uy = from[2 * i + 1] - fy;
            double vx = to[2 * i] - tx, vy = to[2 * i + 1] - ty;
            dot += ux * vx + uy * vy;
            cross += ux * vy - uy * vx;
            norm += ux * ux + uy * uy;
        }
        return norm == 0 ? (1, 0) : (dot / norm, cross / norm);
    }
}
