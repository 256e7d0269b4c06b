using Pipeline.Editing.Imaging;
using Pipeline.World.Rendering;
using Pipeline.World.Scenes;
using SkiaSharp;

namespace Pipeline.World;

/// <summary>A labelled overview image: a block of train scenes, then ood scenes each followed by their attribute flips,
/// with the occluder mask and the true change masks underneath.</summary>
public static class ContactSheet
{
    const int Gap = 4, LabelHeight = 16, Margin = 8;
    static readonly Rgb Paper = new(250, 250, 250), InkColour = new(40, 40, 48), Faint = new(255, 255, 255);

    public static RgbImage Build(SyntheticWorld world, int seed, int trainRows, int oodScenes, int cell)
    {
        if (cell < FaceRenderer.MinSize) throw new ArgumentException($"cell must be at least {FaceRenderer.MinSize} px, got {cell}", nameof(cell));
        if (trainRows < 0 || oodScenes < 0 || trainRows + oodScenes == 0)
            throw new ArgumentException($"need some rows: train rows {trainRows}, ood scenes {oodScenes}");
        var attributes = WorldAttributes.All;
        int columns = attributes.Count + 1;
        int width = 2 * Margin + columns * cell + (columns - 1) * Gap;
        int oodHeight = oodScenes == 0 ? 0 : LabelHeight + oodScenes * 2 * (cell + Gap) + LabelHeight;
        int height = Margin + LabelHeight + trainRows * (cell + Gap) + oodHeight + Margin;
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(Paper.R, Paper.G, Paper.B));
            float y = Margin;
            Label(canvas, "TRAIN SPLIT", Margin, y);
            y += LabelHeight;
            for (int row = 0; row < trainRows; row++, y += cell + Gap)
                for (int col = 0; col < columns; col++)
                    Blit(canvas, world.Render(world.Sample(seed, row * columns + col, WorldSplit.Train), cell), X(col, cell), y);

            if (oodScenes > 0) OodRows(canvas, world, seed, oodScenes, cell, y);
        }
        var px = bitmap.GetPixelSpan();
        var rgb = new byte[width * height * 3];
        for (int i = 0; i < width * height; i++) { rgb[3 * i] = px[4 * i]; rgb[3 * i + 1] = px[4 * i + 1]; rgb[3 * i + 2] = px[4 * i + 2]; }
        return new RgbImage(width, height, rgb);
    }

    static void OodRows(SKCanvas canvas, SyntheticWorld world, int seed, int scenes, int cell, float y)
    {
        var attributes = WorldAttributes.All;
        Label(canvas, "OOD SPLIT", Margin, y);
        for (int col = 1; col <= attributes.Count; col++) Label(canvas, attributes[col - 1].Name.Replace('_', ' '), X(col, cell), y, cell);
        y += LabelHeight;
        for (int i = 0; i < scenes; i++)
        {
            var scene = world.Sample(seed, i, WorldSplit.Ood);
            var image = world.Render(scene, cell);
            Blit(canvas, image, X(0, cell), y);
            Blit(canvas, world.OccluderMask(scene, cell), X(0, cell), y + cell + Gap);
            for (int a = 0; a < attributes.Count; a++)
            {
                var edit = world.Render(world.Flip(scene, attributes[a].Name), cell);
                Blit(canvas, edit, X(a + 1, cell), y);
                Blit(canvas, World.ChangeMask.ToImage(world.ChangeMask(image, edit), cell, cell), X(a + 1, cell), y + cell + Gap);
            }
            y += 2 * (cell + Gap);
        }
        Label(canvas, "ROWS - SCENE AND FLIPS / OCCLUDER MASK AND TRUE CHANGE MASKS", Margin, y + 2);
    }

    static float X(int col, int cell) => Margin + col * (cell + Gap);

    static void Label(SKCanvas canvas, string text, float x, float y, float centreWidth = 0)
    {
        const float maxHeight = 8;
        float textHeight = centreWidth > 0 ? Math.Min(maxHeight, maxHeight * (centreWidth - 4) / (float)StrokeFont.Width(text, maxHeight)) : maxHeight;
        float w = (float)StrokeFont.Width(text, textHeight);
        float cx = centreWidth > 0 ? x + centreWidth / 2 : x + w / 2;
        StrokeFont.Draw(canvas, text, cx, y + LabelHeight / 2f, textHeight, 0, InkColour, Faint, Ink.Colour);
    }

    static void Blit(SKCanvas canvas, RgbImage image, float x, float y)
    {
        using var bmp = ImageWriter.ToBitmap(image);
        canvas.DrawBitmap(bmp, x, y);
    }
}
