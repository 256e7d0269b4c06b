namespace Pipeline.World.Scenes;

public enum GlassesFrame { Round, Rectangular, Browline }

/// <summary>Frame style and colour are sampled for every scene, worn or not, so that flipping
/// <c>eyeglasses</c> on shows the same pair every time.</summary>
public sealed record GlassesSpec(bool On, GlassesFrame Frame, Rgb Color);
