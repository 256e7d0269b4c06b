namespace Pipeline.World.Scenes;

/// <summary><see cref="Gradient"/> is the only in-domain background; the others are ood.</summary>
public enum BackgroundPattern { Gradient, Stripes, Checks, Dots }

/// <param name="Angle">gradient or stripe direction, degrees</param>
/// <param name="Period">pattern period in canonical units (the canvas is 256 units wide)</param>
public sealed record BackgroundSpec(BackgroundPattern Pattern, Rgb Top, Rgb Bottom, double Angle, double Period);
