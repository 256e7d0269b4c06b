using Pipeline.World.Scenes;

namespace Pipeline.World.Training;

/// <summary>
/// The factor vector f of a scene's face, the input of the demo prior's linear factor map <c>w = A·f + b</c>. The seven
/// attributes come first, in <see cref="WorldAttributes"/> order and as 0/1, so that column k of A is exactly the edit
/// that turns attribute k on. Then colours (sRGB scaled to [−1, 1]), one-hot categories and the continuous shape
/// factors scaled to [−1, 1] over their sampling ranges. Occluders and patterned backgrounds are not factors: they are
/// what the generator never renders. Two things of a scene are not in f either: where the age spots and wrinkle jitter
/// fall (drawn from <see cref="AgeSpec.DetailSeed"/>), so the prior draws average ones.
/// </summary>
public static class SceneFactors
{
    static readonly string[] ColourNames = { "skin", "hair", "iris", "lips", "glasses", "beard", "background_top", "background_bottom", "clothing" };

    /// <summary>Names of the entries of f, in order.</summary>
    public static IReadOnlyList<string> Names { get; } = BuildNames();

    public static int Count => Names.Count;

    /// <summary>Index of attribute <paramref name="name"/> in f (its column of A).</summary>
    public static int AttributeIndex(string name)
    {
        int k = WorldAttributes.Names.ToList().IndexOf(name);
        return k >= 0 ? k : throw new ArgumentException($"unknown attribute '{name}'; known: {string.Join(", ", WorldAttributes.Names)}", nameof(name));
    }

    /// <summary>f of the scene's face (its occluders and background pattern ignored).</summary>
    public static float[] Of(SceneSpec s)
    {
        var f = new float[Count];
        int i = 0;
        foreach (var a in WorldAttributes.All) f[i++] = a.Get(s) ? 1f : 0f;
        foreach (var c in new[] { s.Skin, s.Hair.Color, s.Eyes.Iris, s.Mouth.Lips, s.Glasses.Color, s.Beard.Color, s.Background.Top, s.Background.Bottom, s.Clothing })
        {
            f[i++] = Unit(c.R);
            f[i++] = Unit(c.G);
            f[i++] = Unit(c.B);
        }
        i = OneHot(f, i, (int)s.Hair.Style, Enum.GetValues<HairStyle>().Length);
        i = OneHot(f, i, (int)s.Glasses.Frame, Enum.GetValues<GlassesFrame>().Length);
        i = OneHot(f, i, (int)s.Beard.Style, Enum.GetValues<BeardStyle>().Length);
        f[i++] = Span(s.Face.Width, SceneSampler.FaceWidthRange);
        f[i++] = Span(s.Face.Jaw, SceneSampler.JawRange);
        f[i++] = Span(s.Face.Chin, SceneSampler.ChinRange);
        f[i++] = Span(s.Background.Angle, SceneSampler.GradientAngleRange);
        return f;
    }

    static List<string> BuildNames()
    {
        var names = new List<string>(WorldAttributes.Names);
        foreach (var c in ColourNames) names.AddRange(new[] { c + "_r", c + "_g", c + "_b" });
        names.AddRange(Enum.GetNames<HairStyle>().Select(n => "hair_style_" + n.ToLowerInvariant()));
        names.AddRange(Enum.GetNames<GlassesFrame>().Select(n => "glasses_frame_" + n.ToLowerInvariant()));
        names.AddRange(Enum.GetNames<BeardStyle>().Select(n => "beard_style_" + n.ToLowerInvariant()));
        names.AddRange(new[] { "face_width", "jaw", "chin", "background_angle" });
        return names;
    }

    static float Unit(byte v) => v / 127.5f - 1f;

    static float Span(double v, (double Lo, double Hi) range) => (float)(2 * (v - range.Lo) / (range.Hi - range.Lo) - 1);

    static int OneHot(float[] f, int at, int value, int count)
    {
        f[at + value] = 1f;
        return at + count;
    }
}
