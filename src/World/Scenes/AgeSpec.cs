namespace Pipeline.World.Scenes;

/// <summary>Age cues: grey hair, wrinkle lines and a few spots when <see cref="Old"/>.
/// <see cref="DetailSeed"/> places the spots and jitters the lines, identical before and after a flip.</summary>
public sealed record AgeSpec(bool Old, int DetailSeed);
