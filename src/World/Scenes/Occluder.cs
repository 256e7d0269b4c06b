namespace Pipeline.World.Scenes;

/// <summary>Something in front of the scene that the generator never saw. Coordinates are canonical units:
/// the canvas is 256 × 256 whatever the output size.</summary>
public abstract record Occluder
{
    /// <summary>snake_case kind for labels and documentation.</summary>
    public abstract string Kind { get; }
}

public enum HatShape { Cap, Beanie, WideBrim, TopHat }

/// <param name="BrimY">lowest edge of the hat on the forehead</param>
public sealed record Hat(HatShape Shape, Rgb Color, Rgb Band, double BrimY) : Occluder
{
    public override string Kind => "hat";
}

/// <summary>A raised hand, wrist at the bottom edge, fingers up over the chin or mouth.</summary>
/// <param name="TipY">top of the longest finger</param>
/// <param name="Tilt">degrees, positive leans the fingers right</param>
public sealed record Hand(double X, double TipY, double Scale, double Tilt, Rgb Skin, Rgb Sleeve) : Occluder
{
    public override string Kind => "hand";
}

/// <summary>A hand-held microphone: mesh head near the mouth, handle down to the bottom edge.</summary>
public sealed record Microphone(double X, double HeadY, double Tilt, Rgb Body) : Occluder
{
    public override string Kind => "microphone";
}

public enum StickerShape { Star, Heart, Circle }

public sealed record Sticker(StickerShape Shape, double X, double Y, double Size, double Rotation, Rgb Color) : Occluder
{
    public override string Kind => "sticker";
}

/// <summary>Short upper-case text drawn with <c>StrokeFont</c> (no system font, so renders match on every machine).</summary>
public sealed record TextLabel(string Text, double X, double Y, double Height, double Rotation, Rgb Color, Rgb Outline) : Occluder
{
    public override string Kind => "text";
}
