using Pipeline.World.Scenes;

namespace Pipeline.World;

/// <summary>The one registry of editable attributes; its order is the label order everywhere (CSV columns,
/// <see cref="SyntheticWorld.Labels"/>, the edits folder).</summary>
public static class WorldAttributes
{
    public static IReadOnlyList<WorldAttribute> All { get; } = new WorldAttribute[]
    {
        new("smile", "mouth corners up in a curved grin showing the upper teeth",
            s => s.Mouth.Smile, s => s with { Mouth = s.Mouth with { Smile = !s.Mouth.Smile } }),
        new("eyeglasses", "dark thick frames over both eyes with arms to the ears",
            s => s.Glasses.On, s => s with { Glasses = s.Glasses with { On = !s.Glasses.On } }),
        new("beard", "a large dark area on the jaw, chin and upper lip",
            s => s.Beard.On, s => s with { Beard = s.Beard with { On = !s.Beard.On } }),
        new("bushy_eyebrows", "thick dark eyebrows instead of thin lines",
            s => s.BushyEyebrows, s => s with { BushyEyebrows = !s.BushyEyebrows }),
        new("old", "grey hair, brows and beard, wrinkle lines and a few age spots",
            s => s.Age.Old, s => s with { Age = s.Age with { Old = !s.Age.Old } }),
        new("narrow_eyes", "squinting slits instead of open eyes",
            s => s.Eyes.Narrow, s => s with { Eyes = s.Eyes with { Narrow = !s.Eyes.Narrow } }),
        new("mouth_open", "lips apart showing the dark inside of the mouth",
            s => s.Mouth.Open, s => s with { Mouth = s.Mouth with { Open = !s.Mouth.Open } }),
    };

    public static IReadOnlyList<string> Names { get; } = All.Select(a => a.Name).ToArray();

    public static WorldAttribute Find(string name) =>
        All.FirstOrDefault(a => a.Name == name)
        ?? throw new ArgumentException($"unknown attribute '{name}'; known: {string.Join(", ", Names)}", nameof(name));

}
