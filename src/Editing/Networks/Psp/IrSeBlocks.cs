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

    static IrSeStage[] Stages(int n64, int n128, int n256, int n512) =>
    [
        new(64, 64, n64),
        new(64, 128, n128),
        new(128, 256, n256),
        new(256, 512, n512),
    ];
}
