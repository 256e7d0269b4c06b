namespace Pipeline.World.Scenes;

/// <summary>Head geometry, as multipliers of the canonical head (1 = average).</summary>
/// <param name="Width">cheek width</param>
/// <param name="Jaw">jaw width relative to the cheeks (narrow ≈ 0.7, square ≈ 0.9)</param>
/// <param name="Chin">chin length</param>
public sealed record FaceShape(double Width, double Jaw, double Chin);
