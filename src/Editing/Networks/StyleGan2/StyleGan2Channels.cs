namespace Pipeline.Editing.Networks.StyleGan2;

/// <summary>
/// The official StyleGAN2 channel table shared by the generator and the discriminator: 512 up to 32², then
/// 256·cm, 128·cm, 64·cm, 32·cm, 16·cm at 64² … 1024².
/// </summary>
public static class StyleGan2Channels
{
    const int Base = 512;

    public static int At(int resolution, int channelMultiplier, IReadOnlyDictionary<int, int>? explicitTable = null)
    {
        if (explicitTable is not null)
            return explicitTable.TryGetValue(resolution, out var c) ? c
                : throw new ArgumentException($"the channel table has no entry for resolution {resolution}");
        return resolution switch
        {
            4 or 8 or 16 or 32 => Base,
            64 or 128 or 256 or 512 or 1024 => Base / (resolution / 32) * channelMultiplier,
            _ => throw new ArgumentException($"the official channel table covers 4…1024; give an explicit table for resolution {resolution}"),
        };
    }
}
