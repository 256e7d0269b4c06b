namespace Pipeline.Editing.Networks.Psp;

/// <summary>One stage of the IR-SE body: <c>NumUnits</c> bottlenecks, the first mapping <c>InChannels</c> → <c>Depth</c> at stride 2.</summary>
public sealed record IrSeStage(int InChannels, int Depth, int NumUnits);

/// <summary>The stage layouts of pSp's <c>get_blocks(num_layers)</c> (ArcFace IR-SE backbones).</summary>
public static class IrSeBlocks
{
    /// <summary>The stride of the first unit of every stage; the other units keep the resolution.</summary>
    public const int StageStride = 2;

    public static IReadOnlyList<IrSeStage> ForDepth(int numLayers) => numLayers switch
    {
        50 => Stages(3, 4, 14, 3),
        100 => Stages(3, 13, 30, 3),
        152 => Stages(3, 8, 36, 3),
        _ => throw new ArgumentException($"IR-SE depth {numLayers} is not one of 50, 100, 152", nameof(numLayers)),
    };

    /// <summary>The official layout of <paramref name="numLayers"/>, with the widths and/or unit counts replaced where given.</summary>
    public static IReadOnlyList<IrSeStage> For(int numLayers, IReadOnlyList<int>? widths, IReadOnlyList<int>? units)
    {
        var official = ForDepth(numLayers);
        if (widths is null && units is null) return official;
        if (widths is not null && (widths.Count != official.Count || widths.Any(w => w < 1)))
            throw new ArgumentException($"IR-SE widths must be {official.Count} positive numbers, got [{string.Join(",", widths)}]", nameof(widths));
        if (units is not null && (units.Count != official.Count || units.Any(u => u < 1)))
            throw new ArgumentException($"IR-SE units must be {official.Count} positive numbers, got [{string.Join(",", units)}]", nameof(units));
        var stages = new IrSeStage[official.Count];
        for (int i = 0; i < stages.Length; i++)
        {
            int depth = widths?[i] ?? official[i].Depth;
            int input = i == 0 ? (widths?[0] ?? official[0].InChannels) : stages[i - 1].Depth;
            stages[i] = new IrSeStage(input, depth, units?[i] ?? official[i].NumUnits);
        }
        return stages;
    }

    static IrSeStage[] Stages(int n64, int n128, int n256, int n512) =>
    [
        new(64, 64, n64),
        new(64, 128, n128),
        new(128, 256, n256),
        new(256, 512, n512),
    ];
}
