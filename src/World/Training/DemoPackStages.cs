using Pipeline.Editing.Method;

namespace Pipeline.World.Training;

/// <summary>The demo pack's DiffCam and Deghosting configurations (sized with <see cref="DemoPackConfig"/>).</summary>
public static class DemoPackStages
{
    /// <summary>ResNet-18 at a quarter of the official width, one class per world attribute, comparing 64² images.</summary>
    public static DiffCamEntry DiffCam(int classes) => new()
    {
        File = ModelPackWriter.DiffCamFile, ResnetDepth = 18, BaseWidth = 16, SharedLayer3Blocks = 1, NumClass = classes, InputSize = DemoPackConfig.ImageSize,
    };

    /// <summary>GLEAN-style at 32² → 64² (the official 8× would leave 8² of the input), two RRDBs, the prior's channel table.</summary>
    public static DeghostingEntry Deghosting => new()
    {
        File = ModelPackWriter.DeghostingFile, InSize = DemoPackConfig.ImageSize / 2, OutSize = DemoPackConfig.ImageSize, StyleChannels = DemoPackConfig.StyleDim,
        NumBlocks = 2, NumMid = 32, NumGrow = 16, DecoderTailChannels = 16, Channels = DemoPackConfig.GeneratorChannels,
    };
}
