using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.DiffCam;
using static TorchSharp.torch;

namespace Pipeline.Editing.Training;

/// <summary>
/// The DiffCam a DA run starts from: <c>scratch</c> (torch's default init, seeded; the official run starts from ImageNet
/// ResNet-101 weights, which are not bundled), <c>pack</c> (the pack's DiffCam) or a file holding a DiffCam state dict in
/// the official layout (<c>diff_cam_weight.pt</c> or one of ours).
/// </summary>
public static class DiffCamInit
{
    public const string Scratch = "scratch";
    public const string Pack = "pack";

    public static DiffCam Create(EditModels models, string init, long seed)
    {
        var config = EditModels.DiffCamConfigOf(models.Manifest);
        if (init == Scratch)
        {
            manual_seed(seed);
            return new DiffCam(config);
        }
        var network = new DiffCam(config);
        try
        {
            if (init == Pack)
            {
                ModuleState.LoadStrict(network, ModuleState.ToStateDict(models.DiffCam), $"the pack's {models.Manifest.DiffCam.File}");
            }
            else
            {
                if (!File.Exists(init)) throw new FileNotFoundException($"--init: neither '{Scratch}', '{Pack}' nor an existing DiffCam file: {init}");
                using var ckpt = CheckpointReader.Read(init);
                ModuleState.LoadStrict(network, ckpt.StateDict, init);
            }
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }
}
