namespace Pipeline.Editing.Training;

/// <summary>
/// The world's attribute classifier: stride-2 conv stages of the given widths, one stride-1 stage (the Grad-CAM layer),
/// global average pooling and a linear multi-label head.
/// </summary>
public sealed record AttributeClassifierConfig
{
    public int ImageSize { get; init; } = 64;
    public List<int> Widths { get; init; } = new() { 24, 48, 96 };
    public int CamWidth { get; init; } = 96;
    public List<string> Attributes { get; init; } = new();

    public void Validate()
    {
        if (Attributes.Count == 0) throw new ArgumentException("the classifier needs at least one attribute");
        if (Widths.Count == 0 || Widths.Any(w => w < 1) || CamWidth < 1) throw new ArgumentException("classifier widths must be positive");
        if (ImageSize >> Widths.Count < 1) throw new ArgumentException($"{Widths.Count} stride-2 stages do not fit {ImageSize}² images");
    }
}
