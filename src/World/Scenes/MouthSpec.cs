namespace Pipeline.World.Scenes;

/// <summary>Two independent attributes: <c>smile</c> (corners up, teeth) and <c>mouth_open</c> (lips apart).</summary>
public sealed record MouthSpec(bool Smile, bool Open, Rgb Lips);
