namespace Pipeline.Editing.Networks.DiffCam;

/// <summary>
/// The Differential Activation module: a ResNet trunk whose layer3 is split after <paramref name="SharedLayer3Blocks"/>
/// blocks into the Siamese encoder (<c>shared</c>) and the classifier, and a Linear to <paramref name="NumClass"/> edit
/// directions. <paramref name="ImageChannels"/> is the width of each of the two stacked images.
/// </summary>
public sealed record DiffCamConfig(ResNetLayout Layout, int NumClass, int SharedLayer3Blocks, int ImageChannels = 3)
{
    public const int OfficialDepth = 101;
    public const int OfficialSharedLayer3Blocks = 10;
    public const int OfficialNumClass = 17;

    /// <summary>The released checkpoint's configuration: ResNet-101 split after layer3 block 9, 17 classes.</summary>
    public static DiffCamConfig Official(int numClass = OfficialNumClass) =>
        new(ResNetLayout.ForDepth(OfficialDepth), numClass, OfficialSharedLayer3Blocks);

    /// <summary>Channels of the <c>shared</c> output, where the two images' features are subtracted.</summary>
    public int SharedChannels => Layout.StageOutChannels(2);

    public void Validate()
    {
        Layout.Validate();
        if (NumClass < 1) throw new ArgumentException($"DiffCam needs at least one class, got {NumClass}");
        if (ImageChannels < 1) throw new ArgumentException($"DiffCam image channels must be positive, got {ImageChannels}");
        int layer3 = Layout.BlocksPerStage[2];
        if (SharedLayer3Blocks < 0 || SharedLayer3Blocks > layer3)
            throw new ArgumentException($"DiffCam split {SharedLayer3Blocks} is outside layer3's 0..{layer3} blocks");
    }
}
