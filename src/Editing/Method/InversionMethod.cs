namespace Pipeline.Editing.Method;

/// <summary>How the Invert stage finds the W+ code of an image.</summary>
public enum InversionMethod
{
    /// <summary>The encoder when the model pack has one, otherwise the optimisation-based projection.</summary>
    Auto,
    /// <summary>pSp (or e4e) in one forward pass: the paper's inversion.</summary>
    Encoder,
    /// <summary>Adam on a W+ code so that G(w) matches the image (MSE + VGG perceptual): the fallback without an encoder.</summary>
    Projection,
}
