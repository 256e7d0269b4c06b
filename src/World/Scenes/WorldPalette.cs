namespace Pipeline.World.Scenes;

/// <summary>The world's colour tables. Few, distinct entries: variation a small GAN can learn on CPU.</summary>
public static class WorldPalette
{
    public static IReadOnlyList<Rgb> Skin { get; } = new Rgb[]
    {
        new(255, 226, 200), new(243, 198, 165), new(226, 175, 135), new(198, 138, 98), new(160, 104, 72), new(112, 72, 52),
    };

    public static IReadOnlyList<Rgb> Hair { get; } = new Rgb[]
    {
        new(34, 28, 26), new(72, 46, 30), new(122, 80, 44), new(212, 172, 100), new(156, 66, 34), new(52, 40, 36),
    };

    public static IReadOnlyList<Rgb> Iris { get; } = new Rgb[]
    {
        new(96, 62, 36), new(64, 118, 178), new(72, 126, 76), new(104, 116, 128), new(48, 34, 28),
    };

    /// <summary>Grey that old hair, brows and beard blend towards.</summary>
    public static Rgb Grey { get; } = new(208, 208, 212);

    public static Rgb LipTint { get; } = new(192, 78, 92);

    /// <summary>Soft colours for the in-domain gradient backgrounds.</summary>
    public static IReadOnlyList<Rgb> Backdrop { get; } = new Rgb[]
    {
        new(188, 206, 226), new(214, 222, 200), new(232, 214, 196), new(200, 196, 220), new(222, 222, 222),
        new(180, 210, 204), new(236, 226, 180), new(150, 160, 176),
    };

    public static IReadOnlyList<Rgb> Clothing { get; } = new Rgb[]
    {
        new(46, 64, 112), new(150, 40, 48), new(60, 110, 70), new(70, 70, 76), new(220, 220, 214), new(196, 140, 40),
        new(96, 60, 120), new(40, 120, 140),
    };

    public static IReadOnlyList<Rgb> Frames { get; } = new Rgb[]
    {
        new(22, 22, 26), new(62, 36, 20), new(24, 34, 72), new(84, 20, 30),
    };

    /// <summary>Loud colours for ood things: patterns, hats, stickers, text.</summary>
    public static IReadOnlyList<Rgb> Bright { get; } = new Rgb[]
    {
        new(250, 210, 30), new(240, 80, 150), new(40, 200, 230), new(120, 220, 50), new(250, 130, 20), new(230, 40, 40),
        new(130, 80, 230), new(255, 255, 255), new(20, 20, 20), new(30, 90, 220),
    };

    public static IReadOnlyList<Rgb> MicrophoneBody { get; } = new Rgb[] { new(32, 32, 36), new(172, 172, 178), new(150, 32, 32) };

    public static IReadOnlyList<string> Words { get; } = new[] { "HI", "LOL", "WOW", "OK", "YES", "COOL", "LIVE", "2022", "NEW", "HELLO", "YAY", "GO!", "TOP 10" };
}
