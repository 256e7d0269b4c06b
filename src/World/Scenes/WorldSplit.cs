namespace Pipeline.World.Scenes;

/// <summary><c>Train</c>: what the generator sees (smooth backgrounds, nothing in front of the face).
/// <c>Ood</c>: the same faces with what it never saw (hats, hands, microphones, stickers, text, patterned backgrounds).</summary>
public enum WorldSplit { Train, Ood }
