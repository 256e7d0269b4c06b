using Pipeline.Editing.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Method;

/// <summary>
/// The class-agnostic mask of an edit the DA module was not trained on: the channel mean of |E(T) − E(I')|, E the DA
/// module's Siamese trunk (its last shared feature map, 1/16 of the DA input), then the same bilinear upsampling and
/// per-sample min-max as Diff-CAM (<see cref="DiffCamMask.Normalise"/>). It needs no class: it shows where the trunk's
/// features of the edit differ from those of the inversion, whatever the edit is.
/// </summary>
public static class ActivationDifferenceMask
{
    /// <summary>image [B,6,H,W] = cat(inversion, edit) → mask [B,H,W] in [0,1] and which samples were constant;
    /// <paramref name="gain"/> scales the normalised map before it is clipped at 1 (the pack's <c>agnostic_mask_gain</c>).</summary>
    public static (Tensor Mask, bool[] Degenerate) Compute(Networks.DiffCam.DiffCam model, Tensor image, double gain = 1)
    {
        if (!double.IsFinite(gain) || gain < 1) throw new ArgumentOutOfRangeException(nameof(gain), gain, "the mask gain must be a finite number ≥ 1");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        int c = model.Config.ImageChannels;
        if (image.dim() != 4 || image.shape[1] != 2 * c)
            throw new ArgumentException($"the activation-difference mask expects [B,{2 * c},H,W] (inversion then edit), got [{string.Join(",", image.shape)}]", nameof(image));
        var difference = (model.Shared(image[.., c..(2 * c)]) - model.Shared(image[.., ..c])).abs().mean([1]);   // [B,h,w]
        var (mask, degenerate) = DiffCamMask.Normalise(difference, image.shape[2], image.shape[3]);           // [B,H,W]
        if (gain != 1)
        {
            using var scale = gain.ToScalar();
            mask = (mask * scale).clamp_max(Scalars.One);
        }
        return (mask.MoveToOuterDisposeScope(), degenerate);
    }
}
