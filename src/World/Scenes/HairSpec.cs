namespace Pipeline.World.Scenes;

public enum HairStyle { Short, SidePart, Bob, Long, Receding }

/// <summary>Hair as grown; <see cref="AgeSpec.Old"/> greys it at render time, so flipping age keeps the style.</summary>
public sealed record HairSpec(HairStyle Style, Rgb Color);
