namespace Pipeline.Editing.Metrics.Lpips;

/// <summary>The LPIPS v0.1 backbones this port supports.</summary>
public enum LpipsNet
{
    /// <summary>torchvision AlexNet features, taps relu1..relu5 (64, 192, 384, 256, 256 channels); LPIPS' default.</summary>
    Alex,
    /// <summary>torchvision VGG16 features, taps relu1_2, relu2_2, relu3_3, relu4_3, relu5_3 (64, 128, 256, 512, 512).</summary>
    Vgg,
}

public static class LpipsNets
{
    /// <summary>The name LPIPS and its weight files use (<c>alex</c>, <c>vgg</c>).</summary>
    public static string FileName(this LpipsNet net) => net switch
    {
        LpipsNet.Alex => "alex",
        LpipsNet.Vgg => "vgg",
        _ => throw new ArgumentOutOfRangeException(nameof(net)),
    };

    public static LpipsNet Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "alex" or "alexnet" => LpipsNet.Alex,
        "vgg" or "vgg16" => LpipsNet.Vgg,
        _ => throw new ArgumentException($"unknown LPIPS network '{name}' (alex | vgg)"),
    };
}
