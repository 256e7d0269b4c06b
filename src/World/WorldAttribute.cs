using Pipeline.World.Scenes;

namespace Pipeline.World;

/// <summary>A binary, editable attribute of the synthetic world: how to read it from a scene and how to flip it.</summary>
/// <param name="Name">snake_case, used in file names and CSV columns</param>
public sealed record WorldAttribute(string Name, string Description, Func<SceneSpec, bool> Get, Func<SceneSpec, SceneSpec> Flip);
