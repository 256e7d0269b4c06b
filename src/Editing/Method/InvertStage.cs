using Pipeline.Editing.Networks.Psp;
using Pipeline.Editing.Networks.StyleGan2;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Method;

/// <summary>The inversion of a batch: W+ codes and I' = G(w) at full size.</summary>
public sealed record Inversion(Tensor Latent, Tensor Image) : IDisposable
{
    public void Dispose() { Latent.Dispose(); Image.Dispose(); }
}

/// <summary>
/// Paper step 1 and 2: invert I to w with pSp (I is area-downsampled to the encoder's input, as the reference does),
/// I' = G(w); then edit T = G(w + α·n). One inversion serves every edit of the same image.
/// </summary>
public sealed class InvertStage(Psp psp, MethodOptions options)
{
    /// <summary>images [B,3,S,S] in [−1,1] → W+ [B,n,512] and I' [B,3,S,S].</summary>
    public Inversion Invert(Tensor images)
    {
        using var scope = NewDisposeScope();
        var x = Composition.AreaDownsample(images, psp.Config.InputSize);     // [B,3,256,256] officially
        var latent = psp.Encode(x);
        var image = psp.Decode(latent, Noise(), resize: false);
        return new Inversion(latent.MoveToOuterDisposeScope(), image.MoveToOuterDisposeScope());
    }

    /// <summary>w' = w + strength·unit·n and T = G(w') [B,3,S,S]; several edits chain by passing w' on.</summary>
    public (Tensor Latent, Tensor Image) Edit(Tensor latent, LoadedDirection direction, double strength)
    {
        if (double.IsNaN(strength) || double.IsInfinity(strength))
            throw new ArgumentException($"edit {direction.Direction.Name}: strength must be a finite number, got {strength}");
        using var scope = NewDisposeScope();
        var edited = direction.Direction.Apply(latent, strength * direction.UnitStrength);
        var image = psp.Decode(edited, Noise(), resize: false);
        return (edited.MoveToOuterDisposeScope(), image.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Stored buffers by default (deterministic). Seeded noise uses the same seed for the inversion and every edit, so
    /// T and I' differ only by the edit — the difference DiffCam is meant to see; the reference draws fresh noise each call.
    /// </summary>
    NoiseSource Noise() => options.Noise switch
    {
        NoiseMode.Stored => NoiseSource.Stored,
        NoiseMode.Seeded => NoiseSource.Seeded(options.Seed),
        NoiseMode.Random => NoiseSource.Fresh,
        _ => throw new ArgumentOutOfRangeException(nameof(options)),
    };
}
