using Pipeline.World.Scenes;

namespace Pipeline.World.Evaluation;

/// <summary>A binary reading of a world factor that the demo pack has no direction for, with the factor map column
/// that turns it on (<see cref="Training.SceneFactors.Names"/>).</summary>
public sealed record WithheldAttribute(WorldAttribute Attribute, string FactorColumn);

/// <summary>
/// Attributes a person could label that are not among the seven the demo pack was built with: the test bed of
/// <c>pipeline directions fit</c>. Each reads one of the world's other factors as 0/1 and flips it the way the world
/// would render the change.
/// </summary>
public static class WithheldAttributes
{
    public static IReadOnlyList<WithheldAttribute> All { get; } = new WithheldAttribute[]
    {
        // Long hair off becomes short hair, the world's first style; on, any style becomes long.
        new(new WorldAttribute("long_hair", "hair falling past the jaw (hair_style = long in labels.csv)",
            s => s.Hair.Style == HairStyle.Long,
            s => s with { Hair = s.Hair with { Style = s.Hair.Style == HairStyle.Long ? HairStyle.Short : HairStyle.Long } }),
            "hair_style_long"),
    };

    public static WithheldAttribute Find(string name) =>
        All.FirstOrDefault(a => a.Attribute.Name == name)
        ?? throw new ArgumentException($"unknown withheld attribute '{name}'; known: {string.Join(", ", All.Select(a => a.Attribute.Name))}", nameof(name));
}
