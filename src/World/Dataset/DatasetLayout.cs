using System.Globalization;

namespace Pipeline.World.Dataset;

/// <summary>Where each file of a written world lives (see docs/synthetic-world.md).</summary>
public sealed class DatasetLayout(string root)
{
    public string Root { get; } = root;
    public string Manifest => Path.Combine(Root, "world.json");
    public string Labels => Path.Combine(Root, "labels.csv");

    public static string Name(int index) => index.ToString("D6", CultureInfo.InvariantCulture);
    public static string ImageFile(int index) => $"images/{Name(index)}.png";

    public string Image(int index) => Path.Combine(Root, "images", Name(index) + ".png");
    public string Edit(int index, string attribute) => Path.Combine(Root, "edits", Name(index), attribute + ".png");
    public string EditMask(int index, string attribute) => Path.Combine(Root, "edits", Name(index), attribute + "_mask.png");
    public string OccluderMask(int index) => Path.Combine(Root, "occluders", Name(index) + ".png");
}
