using Pipeline.Editing.Imaging;
using Pipeline.Editing.Outputs;
using Pipeline.Faces.Alignment;

namespace Pipeline.Faces;

/// <summary>A photo's faces, each aligned to the models' size with the quad it sampled (what paste-back inverts).</summary>
public sealed record AlignedPhoto(int Width, int Height, IReadOnlyList<FoundFace> Faces, IReadOnlyList<AlignedFace> Aligned, IReadOnlyList<string> Notes)
{
    public PhotoFacesRecord ToRecord() => new(Width, Height, Faces.Select(f => f.ToRecord()).ToList(), Notes);
}

/// <summary>Find every usable face of a photo and align each as the FFHQ recipe does; the one entry point of every host
/// that aligns (<c>pipeline align</c> and every <c>--align</c> edit).</summary>
public static class PhotoAlignment
{
    public static AlignedPhoto Align(RgbImage photo, FaceFinder finder, int size, string item)
    {
        var search = finder.Find(photo, item);
        var aligned = search.Faces.Select(f => FfhqAligner.Align(photo, f.Quad, size)).ToList();
        return new AlignedPhoto(photo.Width, photo.Height, search.Faces, aligned, search.Notes);
    }
}
