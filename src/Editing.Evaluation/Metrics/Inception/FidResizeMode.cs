namespace Pipeline.Editing.Metrics.Inception;

/// <summary>How images are brought to the Inception input size (docs/metrics.md explains the difference).</summary>
public enum FidResizeMode
{
    /// <summary>
    /// pytorch-fid: <c>F.interpolate(bilinear, align_corners=False)</c> inside the model, no antialiasing (downscaling
    /// aliases). The numbers are comparable with pytorch-fid's.
    /// </summary>
    Bilinear,

    /// <summary>
    /// clean-fid's resize: PIL-style bicubic (Keys a = −0.5) whose support widens when downscaling (antialiased),
    /// per channel in float, clipped to the input range. The network is still pytorch-fid's.
    /// </summary>
    Clean,
}
