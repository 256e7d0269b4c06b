using Pipeline.Editing.Method;
using Pipeline.Editing.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Bench;

/// <summary>One output of one stage on two devices: the largest absolute difference and the PSNR of the candidate
/// against the reference (peak = the value range: 2 for images in [−1,1], 1 for masks), with the bounds it must meet.</summary>
public sealed record DeviceDifference(string Stage, string Output, double MaxAbs, double Psnr, double MaxAbsBound, double PsnrBound)
{
    public bool Passed => MaxAbs <= MaxAbsBound && Psnr >= PsnrBound;
}

/// <summary>
/// Every stage of the method on a reference device and a candidate device with the same inputs: a pack loaded twice,
/// seeded images in [−1,1], one edit (the pack's first direction, strength 1). Each stage gets the reference's outputs of
/// the stages before it, so a difference belongs to the stage that shows it. Bounds allow for CUDA's TF32 convolutions
/// (a 10-bit mantissa: relative errors near 1e-3) and for Diff-CAM's min-max normalisation, which magnifies small
/// differences where a CAM is nearly flat.
/// </summary>
public static class DeviceComparison
{
    /// <summary>Images (inversion, edited, composite, final): PSNR over a peak of 2.</summary>
    public const double ImagePsnrBound = 40;
    /// <summary>Diff-CAM masks in [0,1]: PSNR over a peak of 1.</summary>
    public const double MaskPsnrBound = 35;
    /// <summary>W+ codes (no natural peak): the largest absolute difference.</summary>
    public const double LatentMaxAbsBound = 0.05;

    public static List<DeviceDifference> Run(string packDirectory, ComputeDevice reference, ComputeDevice candidate, int batch, ulong seed, Action<string> log)
    {
        using var a = EditModels.Load(packDirectory, reference);
        using var b = EditModels.Load(packDirectory, candidate);
        log($"pack {a.Manifest.Name} loaded on {reference.Name} and on {candidate.Name}");
        var ma = new EditMethod(a, new MethodOptions { BatchSize = batch });
        var mb = new EditMethod(b, new MethodOptions { BatchSize = batch });
        var attribute = a.Directions.Keys.OrderBy(k => k, StringComparer.Ordinal).First();
        var chain = EditChain.Resolve(a, [new AttributeEdit(attribute, 1.0)]);
        var chainB = EditChain.Resolve(b, [new AttributeEdit(attribute, 1.0)]);

        using var scope = NewDisposeScope();
        using var generator = new Generator(seed);
        var images = rand([batch, 3, a.ImageSize, a.ImageSize], generator: generator) * Scalars.Two - Scalars.One;
        var rows = new List<DeviceDifference>();

        log("invert …");
        using var ia = ma.RunInvert(images, chain);
        using var ib = mb.RunInvert(images, chainB);
        rows.Add(Latent("invert", "latent", ia.Latent, ib.Latent));
        rows.Add(Image("invert", "inversion", ia.Inversion, ib.Inversion));
        for (int i = 0; i < ia.Edited.Count; i++) rows.Add(Image("invert", $"edited {i + 1}", ia.Edited[i], ib.Edited[i]));

        log("diffcam + compose …");
        using var da = ma.RunDiffCam(images, ia.Inversion, ia.Edited, chain);
        using var db = mb.RunDiffCam(images, ia.Inversion, ia.Edited, chainB);
        for (int i = 0; i < da.StepMasks.Count; i++) rows.Add(Mask("diffcam", $"step mask {i + 1}", da.StepMasks[i], db.StepMasks[i]));
        rows.Add(Mask("diffcam", "mask", da.Mask, db.Mask));
        rows.Add(Image("compose", "composite", da.Coarse, db.Coarse));

        log("deghost …");
        var fa = ma.RunDeghost(da.Coarse);
        var fb = mb.RunDeghost(da.Coarse);
        rows.Add(Image("deghost", "final", fa, fb));
        return rows;
    }

    static DeviceDifference Image(string stage, string output, Tensor x, Tensor y) => Compare(stage, output, x, y, peak: 2, double.PositiveInfinity, ImagePsnrBound);
    static DeviceDifference Mask(string stage, string output, Tensor x, Tensor y) => Compare(stage, output, x, y, peak: 1, double.PositiveInfinity, MaskPsnrBound);
    static DeviceDifference Latent(string stage, string output, Tensor x, Tensor y) => Compare(stage, output, x, y, peak: 1, LatentMaxAbsBound, double.NegativeInfinity);

    static DeviceDifference Compare(string stage, string output, Tensor x, Tensor y, double peak, double maxAbsBound, double psnrBound)
    {
        if (x.device_type != DeviceType.CPU || y.device_type != DeviceType.CPU)
            throw new InvalidOperationException($"{stage} {output}: a stage handed out a tensor on {(x.device_type != DeviceType.CPU ? x.device : y.device)}, not the CPU");
        using var scope = NewDisposeScope();
        var diff = (x.to_type(ScalarType.Float64) - y.to_type(ScalarType.Float64)).abs();
        double maxAbs = diff.max().item<double>();
        double mse = (diff * diff).mean().item<double>();
        double psnr = mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(peak * peak / mse);
        return new DeviceDifference(stage, output, maxAbs, psnr, maxAbsBound, psnrBound);
    }
}
