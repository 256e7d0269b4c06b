using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Networks.Deghosting;
using Pipeline.Editing.Networks.DiffCam;
using Pipeline.Editing.Networks.Psp;
using Pipeline.Editing.Networks.StyleGan2;
using static TorchSharp.torch;

namespace Pipeline.Editing.Method;

/// <summary>
/// Saves networks in the official file layouts (pSp container with opts and latent_avg, plain DiffCam state dict,
/// Deghosting state dict with its generator in the mmgen layout, .npy directions) and fills the manifest's hashes.
/// </summary>
public static class ModelPackWriter
{
    public const string EncoderFile = "psp.pt";
    public const string DiffCamFile = "diffcam.pt";
    public const string DeghostingFile = "deghosting.pt";
    public const string GeneratorFile = "generator.pt";

    public static string SavePsp(string path, Psp psp)
    {
        var opts = new Dictionary<string, object?>
        {
            [EncoderTypes.OptsKey] = psp.Config.EncoderType.ToString(),
            ["input_nc"] = (long)psp.Config.InputChannels,
            ["output_size"] = (long)psp.Config.OutputSize,
            ["start_from_latent_avg"] = psp.Config.StartFromLatentAvg,
            ["learn_in_w"] = false,
        };
        TorchSaveWriter.WritePspContainer(path, ModuleState.ToStateDict(psp), opts, psp.LatentAvg);
        return FileHash.Sha256(path);
    }

    /// <summary>A standalone generator (a pack without an encoder): rosinality's state dict, bare.</summary>
    public static string SaveGenerator(string path, StyleGan2Generator generator)
    {
        TorchSaveWriter.Write(path, ModuleState.ToStateDict(generator));
        return FileHash.Sha256(path);
    }

    public static string SaveDiffCam(string path, DiffCam diffCam)
    {
        TorchSaveWriter.Write(path, ModuleState.ToStateDict(diffCam));
        return FileHash.Sha256(path);
    }

    public static string SaveDeghosting(string path, DeghostNetwork network)
    {
        TorchSaveWriter.Write(path, ModuleState.ToStateDict(network, new DeghostingKeyLayout()));
        return FileHash.Sha256(path);
    }

    public static string SaveDirection(string path, Tensor direction)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        NpyFile.Write(path, direction.to_type(ScalarType.Float64));
        return FileHash.Sha256(path);
    }

    /// <summary>Recomputes every listed file's sha256 and writes manifest.json.</summary>
    public static ModelPackManifest WriteManifest(string directory, ModelPackManifest m)
    {
        string Sha(string file) => FileHash.Sha256(Path.Combine(directory, file));
        var updated = m with
        {
            Encoder = m.HasEncoder ? m.Encoder with { Sha256 = Sha(m.Encoder.File) } : m.Encoder,
            OtherEncoders = m.OtherEncoders?.Select(e => e with { Sha256 = Sha(e.File) }).ToList(),
            Generator = m.Generator is { File: { Length: > 0 } g } ? m.Generator with { Sha256 = Sha(g) } : m.Generator,
            DiffCam = m.DiffCam with { Sha256 = Sha(m.DiffCam.File) },
            Deghosting = m.Deghosting with { Sha256 = Sha(m.Deghosting.File) },
            Directions = m.Directions.Select(d => d with { Sha256 = Sha(d.File) }).ToList(),
            Files = m.Files.Select(f => f with { Sha256 = Sha(f.File) }).ToList(),
        };
        updated.Write(Path.Combine(directory, ModelPackManifest.FileName));
        return updated;
    }
}
