namespace Pipeline.World.Scenes;

/// <param name="Narrow">squinting slits instead of open eyes (attribute <c>narrow_eyes</c>)</param>
public sealed record EyeSpec(bool Narrow, Rgb Iris);
