namespace Pipeline.World.Scenes;

public enum BeardStyle { Full, Goatee, Stubble }

/// <summary>A beard's look is sampled for every scene, worn or not (see <see cref="GlassesSpec"/>).
/// <see cref="BeardStyle.Stubble"/> is a short full beard, still a large dark area on the jaw.</summary>
public sealed record BeardSpec(bool On, BeardStyle Style, Rgb Color);
