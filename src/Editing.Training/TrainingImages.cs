using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using static TorchSharp.torch;

namespace Pipeline.Editing.Training;

/// <summary>
/// Image files of a training folder and how they are read: RGB in [−1,1] (ToTensor + Normalize(0.5, 0.5)), area-resized
/// to the network's input as the official loaders do with <c>cv2.resize(INTER_AREA)</c>.
/// </summary>
public static class TrainingImages
{
    /// <summary>The official loaders' extensions (plus WebP, which our reader decodes).</summary>
    public static readonly IReadOnlySet<string> Extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".bmp", ".png", ".ppm", ".webp",
    };

    /// <summary>Every image under <paramref name="folder"/>, recursively, sorted by relative path (ordinal).</summary>
    public static List<string> List(string folder, bool recursive = true)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"image folder not found: {folder}");
        var option = recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly;
        return Directory.EnumerateFiles(folder, "*", option)
            .Where(f => Extensions.Contains(Path.GetExtension(f)))
            .OrderBy(f => Path.GetRelativePath(folder, f), StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>One image → [1,3,size,size] in [−1,1], area-resized.</summary>
    public static Tensor Load(string path, int size)
    {
        using var scope = NewDisposeScope();
        var x = ImageReader.Read(path).ToTensor();                      // [1,3,H,W]
        if (x.shape[2] != size || x.shape[3] != size) x = Composition.AreaDownsample(x, size);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>Several images → [B,3,size,size].</summary>
    public static Tensor LoadBatch(IEnumerable<string> paths, int size)
    {
        using var scope = NewDisposeScope();
        var images = paths.Select(p => Load(p, size)).ToList();
        return cat(images, 0).MoveToOuterDisposeScope();
    }
}
