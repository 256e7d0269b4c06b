using Pipeline.Editing.Networks.StyleGan2;

namespace Pipeline.Editing.Tests.StyleGan2;

/// <summary>A narrow 16×16 generator: the same code paths as the official one, fast enough for unit tests.</summary>
internal static class SmallGenerator
{
    public static readonly IReadOnlyDictionary<int, int> Channels = new Dictionary<int, int> { [4] = 8, [8] = 8, [16] = 4 };

    public static StyleGan2Config Config => new(16, StyleDim: 16, NMlp: 2) { Channels = Channels };
}
