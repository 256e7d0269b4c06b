using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using static TorchSharp.torch;

namespace Pipeline.Editing.Outputs;

/// <summary>
/// The one place the method's float images become 8-bit PNGs. Writes one item's images: <c>final.png</c>,
/// <c>mask.png</c>, <c>coarse.png</c>, <c>inversion.png</c>, <c>edited_inversion.png</c> (one per edit when there are
/// several) and <c>contact_sheet.png</c>; <see cref="ItemOutputFolder"/> adds <c>item.json</c>.
/// </summary>
public static class ItemOutputWriter
{
    public static readonly string[] SheetColumns = { "input", "inversion", "edited", "mask overlay", "coarse", "final" };

    public static Dictionary<string, string> Write(string dir, Tensor input, EditBatchResult r, int index, IReadOnlyList<AttributeEdit> edits)
    {
        Directory.CreateDirectory(dir);
        var files = new Dictionary<string, string>();
        void Save(string key, string name, RgbImage img)
        {
            ImageWriter.SavePng(img, Path.Combine(dir, name));
            files[key] = name;
        }

        var inputImg = RgbImage.FromTensor(input[index]);
        var final = RgbImage.FromTensor(r.Final[index]);
        var coarse = RgbImage.FromTensor(r.Coarse[index]);
        var inversion = RgbImage.FromTensor(r.Inversion[index]);
        var mask = r.Mask[index][0];
        Save("final", "final.png", final);
        Save("mask", "mask.png", RgbImage.FromMask(mask));
        Save("coarse", "coarse.png", coarse);
        Save("inversion", "inversion.png", inversion);
        RgbImage lastEdited = RgbImage.FromTensor(r.Edited[^1][index]);
        if (r.Edited.Count == 1) Save("edited_inversion", "edited_inversion.png", lastEdited);
        else
            for (int i = 0; i < r.Edited.Count; i++)
            {
                Save($"edited_inversion_{i + 1}", $"edited_inversion_{i + 1}_{Safe(edits[i].Attribute)}.png", RgbImage.FromTensor(r.Edited[i][index]));
                Save($"mask_{i + 1}", $"mask_{i + 1}_{Safe(edits[i].Attribute)}.png", RgbImage.FromMask(r.StepMasks[i][index][0]));
            }

        var maskValues = mask.detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        var overlay = ContactSheet.MaskOverlay(inputImg, maskValues);
        int tile = Math.Clamp(inputImg.Width, 128, 256);
        var sheet = ContactSheet.Render(SheetColumns,
            new[] { (string.Join(" ", edits.Select(e => e.ToString())), (IReadOnlyList<RgbImage>)new[] { inputImg, inversion, lastEdited, overlay, coarse, final }) },
            new ContactSheet.Options(TileSize: tile, RowLabelWidth: 0));
        Save("contact_sheet", "contact_sheet.png", sheet);
        return files;
    }

    public static readonly string[] PhotoSheetColumns = { "original", "aligned face", "mask", "edited face", "pasted back" };

    /// <summary>An aligned photo's own images: <c>final.png</c> (the edited faces pasted back, at the photo's size) and
    /// <c>contact_sheet.png</c> (one row per face: original, aligned face, mask, edited face, pasted back).</summary>
    public static Dictionary<string, string> WritePhoto(string dir, RgbImage original, RgbImage final, IReadOnlyList<FaceImages> faces)
    {
        Directory.CreateDirectory(dir);
        ImageWriter.SavePng(final, Path.Combine(dir, "final.png"));
        var rows = faces.Select(f => ($"face{f.Index}",
            (IReadOnlyList<RgbImage>)new[] { Letterbox(original), f.Aligned, f.Mask, f.Final, Letterbox(final) })).ToList();
        var sheet = ContactSheet.Render(PhotoSheetColumns, rows, new ContactSheet.Options(TileSize: 256));
        ImageWriter.SavePng(sheet, Path.Combine(dir, "contact_sheet.png"));
        return new Dictionary<string, string> { ["final"] = "final.png", ["contact_sheet"] = "contact_sheet.png" };
    }

    /// <summary>A photo centred on a light square, so a contact-sheet tile shows it undistorted.</summary>
    static RgbImage Letterbox(RgbImage image)
    {
        var side = Math.Max(image.Width, image.Height);
        if (image.Width == image.Height) return image;
        var rgb = Enumerable.Repeat((byte)250, side * side * 3).ToArray();
        int left = (side - image.Width) / 2, top = (side - image.Height) / 2;
        for (var y = 0; y < image.Height; y++)
            Array.Copy(image.Rgb, y * image.Width * 3, rgb, ((top + y) * side + left) * 3, image.Width * 3);
        return new RgbImage(side, side, rgb);
    }

    /// <summary>One image [3,S,S] or [1,3,S,S] in [−1,1] as an 8-bit PNG (the reference's rounding): how a stage image
    /// leaves the pipeline when only the image is wanted (<c>pipeline submit --out</c>).</summary>
    public static void SaveImage(string path, Tensor image) => ImageWriter.SavePng(RgbImage.FromTensor(image), path);

    static string Safe(string s) => new(s.Select(c => char.IsLetterOrDigit(c) || c is '_' or '-' ? c : '_').ToArray());
}

/// <summary>What an aligned photo's contact sheet shows of face <see cref="Index"/>: its aligned input, the method's mask
/// and the edited face, all at the models' size.</summary>
public sealed record FaceImages(int Index, RgbImage Aligned, RgbImage Mask, RgbImage Final);
