using Pipeline.World.Rendering;

namespace Pipeline.World.Scenes;

/// <summary>Draws scene factors from a seed. Every scene has its own generator, seeded from (seed, index), so any scene
/// can be regenerated alone; the face comes from one stream and the ood extras from another, so scene i of the ood
/// split is scene i of the train split plus occluders and (sometimes) a patterned background.</summary>
public sealed class SceneSampler(SamplingRates rates)
{
    const int FaceStream = 0;
    const int OodStream = 1;

    /// <summary>Occluders are placed relative to the face's vertical axis (canonical units).</summary>
    const double Centre = FaceLayout.CentreX;

    public SceneSampler() : this(SamplingRates.Default) { }

    /// <summary>Sampling ranges of the continuous face factors and of the in-domain gradient's direction (degrees).</summary>
    public static readonly (double Lo, double Hi) FaceWidthRange = (0.92, 1.08), JawRange = (0.7, 0.92), ChinRange = (0.9, 1.12), GradientAngleRange = (65, 115);

    public SceneSpec Sample(int seed, int index, WorldSplit split)
    {
        if (index < 0) throw new ArgumentException($"scene index must be ≥ 0, got {index}", nameof(index));
        var r = new Random(StreamSeed(seed, index, FaceStream));
        var face = new FaceShape(Width: Uniform(r, FaceWidthRange), Jaw: Uniform(r, JawRange), Chin: Uniform(r, ChinRange));
        var skin = Pick(r, WorldPalette.Skin);
        var hair = new HairSpec((HairStyle)r.Next(Enum.GetValues<HairStyle>().Length), Pick(r, WorldPalette.Hair));
        var eyes = new EyeSpec(r.NextDouble() < rates.NarrowEyes, Pick(r, WorldPalette.Iris));
        var bushy = r.NextDouble() < rates.BushyEyebrows;
        var lips = skin.Mix(WorldPalette.LipTint, Uniform(r, 0.35, 0.55)).Darken(0.92);
        var mouth = new MouthSpec(r.NextDouble() < rates.Smile, r.NextDouble() < rates.MouthOpen, lips);
        var glasses = new GlassesSpec(r.NextDouble() < rates.Eyeglasses, (GlassesFrame)r.Next(Enum.GetValues<GlassesFrame>().Length), Pick(r, WorldPalette.Frames));
        var beardStyle = r.NextDouble() switch { < 0.6 => BeardStyle.Full, < 0.8 => BeardStyle.Goatee, _ => BeardStyle.Stubble };
        var beard = new BeardSpec(r.NextDouble() < rates.Beard, beardStyle, hair.Color.Darken(Uniform(r, 0.6, 0.8)));
        var age = new AgeSpec(r.NextDouble() < rates.Old, r.Next());
        var top = Pick(r, WorldPalette.Backdrop);
        var bottom = top.Mix(Pick(r, WorldPalette.Backdrop), 0.6).Darken(Uniform(r, 0.75, 0.95));
        var background = new BackgroundSpec(BackgroundPattern.Gradient, top, bottom, Uniform(r, GradientAngleRange), 0);
        var clothing = Pick(r, WorldPalette.Clothing);
        var scene = new SceneSpec(seed, index, split, face, skin, hair, eyes, bushy, mouth, glasses, beard, age, background, clothing, OccluderList.None);
        return split == WorldSplit.Ood ? AddOod(scene, new Random(StreamSeed(seed, index, OodStream))) : scene;
    }

    SceneSpec AddOod(SceneSpec scene, Random r)
    {
        var background = scene.Background;
        if (r.NextDouble() < rates.PatternedBackground)
        {
            var a = Pick(r, WorldPalette.Bright).Mix(WorldPalette.Backdrop[0], Uniform(r, 0.0, 0.4));
            var b = Pick(r, WorldPalette.Bright);
            var pattern = (BackgroundPattern)(1 + r.Next(Enum.GetValues<BackgroundPattern>().Length - 1));
            background = new BackgroundSpec(pattern, a, b, Uniform(r, 0, 180), Uniform(r, 14, 36));
        }
        var kinds = new List<string> { "hat", "hand", "microphone", "sticker", "text" };
        double[] weights = { 0.3, 0.2, 0.2, 0.15, 0.15 };
        int count = r.NextDouble() < rates.SecondOccluder ? 2 : 1;
        var chosen = new List<string>();
        for (int i = 0; i < count; i++)
        {
            int k = PickWeighted(r, weights);
            chosen.Add(kinds[k]);
            weights[k] = 0;
        }
        var occluders = kinds.Where(chosen.Contains).Select(kind => Occluder(kind, scene, r)).ToList();
        return scene with { Background = background, Occluders = new OccluderList(occluders) };
    }

    static Occluder Occluder(string kind, SceneSpec scene, Random r) => kind switch
    {
        "hat" => new Hat((HatShape)r.Next(Enum.GetValues<HatShape>().Length), Pick(r, WorldPalette.Bright), Pick(r, WorldPalette.Bright), Uniform(r, 72, 98)),
        "hand" => new Hand(Centre + Uniform(r, -55, 55), Uniform(r, 160, 205), Uniform(r, 0.9, 1.15), Uniform(r, -20, 20),
            r.NextDouble() < 0.8 ? scene.Skin : Pick(r, WorldPalette.Skin), Pick(r, WorldPalette.Clothing)),
        "microphone" => Mic(r),
        "sticker" => Sticker(r),
        _ => Text(r),
    };

    static Microphone Mic(Random r)
    {
        double side = r.Next(2) == 0 ? -1 : 1;
        return new Microphone(Centre + side * Uniform(r, 18, 60), Uniform(r, 168, 200), -side * Uniform(r, 0, 25), Pick(r, WorldPalette.MicrophoneBody));
    }

    static Sticker Sticker(Random r)
    {
        var (x, y) = Placement(r);
        return new Sticker((StickerShape)r.Next(Enum.GetValues<StickerShape>().Length), x, y, Uniform(r, 24, 42), Uniform(r, -30, 30), Pick(r, WorldPalette.Bright));
    }

    static TextLabel Text(Random r)
    {
        var word = Pick(r, WorldPalette.Words);
        double height = Uniform(r, 14, 24);
        var (x, y) = Placement(r);
        double half = StrokeFont.Width(word, height) / 2 + 4;
        x = Math.Clamp(x, half, FaceLayout.Canvas - half);
        var color = Pick(r, WorldPalette.Bright);
        var outline = color.R + color.G + color.B > 3 * 128 ? new Rgb(20, 20, 20) : new Rgb(255, 255, 255);
        return new TextLabel(word, x, y, height, Uniform(r, -20, 20), color, outline);
    }

    /// <summary>Cheeks, forehead or a background corner: where people put stickers and captions.</summary>
    static (double X, double Y) Placement(Random r)
    {
        double side = r.Next(2) == 0 ? -1 : 1;
        return r.Next(4) switch
        {
            0 => (Centre + side * Uniform(r, 36, 54), Uniform(r, 142, 168)),
            1 => (Centre + Uniform(r, -24, 24), Uniform(r, 70, 88)),
            2 => (Centre + side * Uniform(r, 84, 104), Uniform(r, 22, 110)),
            _ => (Centre + Uniform(r, -70, 70), Uniform(r, 16, 34)),
        };
    }

    /// <summary>SplitMix64 of (seed, index, stream): neighbouring indices and seeds give unrelated generators.</summary>
    internal static int StreamSeed(int seed, int index, int stream)
    {
        ulong z = ((ulong)(uint)seed << 32 | (uint)index) + (ulong)stream * 0x9E3779B97F4A7C15UL + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }

    static double Uniform(Random r, double lo, double hi) => lo + (hi - lo) * r.NextDouble();
    static double Uniform(Random r, (double Lo, double Hi) range) => Uniform(r, range.Lo, range.Hi);
    static T Pick<T>(Random r, IReadOnlyList<T> items) => items[r.Next(items.Count)];

    static int PickWeighted(Random r, double[] weights)
    {
        double u = r.NextDouble() * weights.Sum();
        for (int i = 0; i < weights.Length; i++)
        {
            if (u < weights[i]) return i;
            u -= weights[i];
        }
        return Array.FindLastIndex(weights, w => w > 0);
    }
}
