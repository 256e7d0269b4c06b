using Pipeline.World.Scenes;
using SkiaSharp;

namespace Pipeline.World.Rendering;

/// <summary>Dispatches each occluder to its painter; the same code draws the scene (colour ink) and the occluder
/// mask (silhouette ink), so the mask covers exactly what was drawn.</summary>
public static class OccluderPainter
{
    public static void Paint(SKCanvas canvas, Occluder occluder, FaceLayout face, Ink ink)
    {
        switch (occluder)
        {
            case Hat hat: HatPainter.Paint(canvas, hat, face, ink); break;
            case Hand hand: HandPainter.Paint(canvas, hand, ink); break;
            case Microphone mic: MicrophonePainter.Paint(canvas, mic, ink); break;
            case Sticker sticker: StickerPainter.Paint(canvas, sticker, ink); break;
            case TextLabel text:
                StrokeFont.Draw(canvas, text.Text, (float)text.X, (float)text.Y, (float)text.Height, (float)text.Rotation, text.Color, text.Outline, ink);
                break;
            default: throw new ArgumentException($"no painter for occluder {occluder.GetType().Name}", nameof(occluder));
        }
    }
}
