using Pipeline.Editing.Imaging;
using Pipeline.Editing.Outputs;
using Pipeline.Faces.Alignment;

namespace Pipeline.Faces;

/// <summary>A photo's faces, each aligned to the models' size.</summary>
public sealed record AlignedPhoto(int Width, int Height, IReadOnlyList<FoundFace> Faces, IReadOnlyList<RgbImage> Aligned, IReadOnlyList<string> Notes)
{
    public PhotoFacesRecord ToRecord() => new(Width, Height, Faces.Select(f => f.ToRecord()).ToList(), Notes);
}

/// <summary>Find every usable face of a photo and align each as the FFHQ recipe does; the one entry point of every host
/// that aligns (<c>pipeline align</c>, <c>pipeline edit --align</c> in process, the Invert worker).</summary>
public static class PhotoAlignment
{
    public static AlignedPhoto Align(RgbImage photo, FaceFinder finder, int size, string item)
    {
        var search = finder.Find(photo, item);
        var aligned = search.Faces.Select(f => FfhqAligner.Align(photo, f.Quad, size).Image).ToList();
        return new AlignedPhoto(photo.Width, photo.Height, search.Faces, aligned, search.Notes);
    }
}
