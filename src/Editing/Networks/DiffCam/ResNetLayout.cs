namespace Pipeline.Editing.Networks.DiffCam;

/// <summary>The residual block of a torchvision ResNet: two 3×3 convs (18/34) or the 1×1-3×3-1×1 bottleneck (50+).</summary>
public enum ResNetBlockKind
{
    Basic,
    Bottleneck,
}

/// <summary>
/// A torchvision ResNet trunk: block kind, blocks per stage (layer1..layer4) and the base width (stem channels and
/// layer1 planes; each later stage doubles it).
/// </summary>
public sealed record ResNetLayout(ResNetBlockKind Block, IReadOnlyList<int> BlocksPerStage, int BaseWidth = 64)
{
    public const int StageCount = 4;
    const int BottleneckExpansion = 4;

    public static ResNetLayout ForDepth(int depth, int baseWidth = 64) => depth switch
    {
        18 => new(ResNetBlockKind.Basic, [2, 2, 2, 2], baseWidth),
        34 => new(ResNetBlockKind.Basic, [3, 4, 6, 3], baseWidth),
        50 => new(ResNetBlockKind.Bottleneck, [3, 4, 6, 3], baseWidth),
        101 => new(ResNetBlockKind.Bottleneck, [3, 4, 23, 3], baseWidth),
        152 => new(ResNetBlockKind.Bottleneck, [3, 8, 36, 3], baseWidth),
        _ => throw new ArgumentException($"ResNet depth {depth} is not one of 18, 34, 50, 101, 152", nameof(depth)),
    };

    /// <summary>Output channels of a block relative to its planes (torchvision's <c>expansion</c>).</summary>
    public int Expansion => Block == ResNetBlockKind.Bottleneck ? BottleneckExpansion : 1;

    /// <summary>Planes of stage <paramref name="stage"/> (0-based): 64, 128, 256, 512 for the base width 64.</summary>
    public int Planes(int stage) => BaseWidth << stage;

    public int StageOutChannels(int stage) => Planes(stage) * Expansion;

    /// <summary>Channels of the layer4 output, i.e. the input width of the classifier's Linear.</summary>
    public int FinalChannels => StageOutChannels(StageCount - 1);

    public void Validate()
    {
        if (BlocksPerStage.Count != StageCount || BlocksPerStage.Any(b => b < 1))
            throw new ArgumentException($"ResNet layout needs {StageCount} stages of at least one block, got [{string.Join(",", BlocksPerStage)}]");
        if (BaseWidth < 1) throw new ArgumentException($"ResNet base width must be positive, got {BaseWidth}");
    }
}
