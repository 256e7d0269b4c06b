namespace Pipeline.Editing.Method;

/// <summary>How the Invert stage finds the W+ code of an image.</summary>
public enum InversionMethod
{
    /// <summary>The encoder when the model pack has one, otherwise the optimisation-based projection.</summary>
    Auto,
    /// <summary>The pack's main encoder (pSp or e4e) in one forward pass: the paper's inversion.</summary>
    Encoder,
    /// <summary>The pack's pSp encoder (<c>GradualStyleEncoder</c>).</summary>
    Psp,
    /// <summary>The pack's e4e encoder (<c>Encoder4Editing</c>): edits that stay closer to W at some cost in reconstruction.</summary>
    E4e,
    /// <summary>Adam on a W+ code so that G(w) matches the image (MSE + VGG perceptual): the fallback without an encoder.</summary>
    Projection,
}
