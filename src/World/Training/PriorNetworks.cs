using System.Text.Json.Nodes;
using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.Psp;
using Pipeline.Editing.Training;
using static TorchSharp.torch;

namespace Pipeline.World.Training;

/// <summary>
/// The files of a demo-prior folder: <c>psp.pt</c> (pSp container: encoder, the StyleGAN2 synthesis as its decoder,
/// <c>latent_avg</c>), <c>factor_map.pt</c> (A and b as a linear layer's state dict) and <c>encoder.json</c> (the
/// configuration). The renderer stage writes them with an untrained encoder; the encoder stage replaces psp.pt. A demo
/// model pack holds the same two files with the configuration in its manifest, and loads as a prior folder too.
/// </summary>
public static class PriorNetworks
{
    public const string PspFile = ModelPackWriter.EncoderFile;
    public const string FactorMapFile = "factor_map.pt";
    public const string EntryFile = "encoder.json";

    public static PspConfig PspConfigOf(EncoderEntry entry) =>
        EditModels.PspConfigOf(new ModelPackManifest { ImageSize = entry.Generator.Size, Encoder = entry, DiffCam = new DiffCamEntry { InputSize = entry.Generator.Size } });

    public static FactorMap NewFactorMap(PspConfig config, long seed) => new(SceneFactors.Count, config.NStyles, config.StyleDim, seed);

    public static void Save(string dir, Psp psp, FactorMap map, EncoderEntry entry)
    {
        Directory.CreateDirectory(dir);
        TrainingOutputs.WriteAtomically(Path.Combine(dir, PspFile), tmp => ModelPackWriter.SavePsp(tmp, psp));
        TrainingOutputs.WriteAtomically(Path.Combine(dir, FactorMapFile), tmp => TorchSaveWriter.Write(tmp, ModuleState.ToStateDict(map)));
        File.WriteAllText(Path.Combine(dir, EntryFile), System.Text.Json.JsonSerializer.Serialize(entry, ModelPackManifest.Json));
    }

    /// <summary>The networks of a prior folder, in eval mode; <paramref name="encoderType"/> runs its encoder weights with
    /// another forward (pSp and e4e share every key), and the returned entry says so.</summary>
    public static (Psp Psp, FactorMap Map, EncoderEntry Entry) Load(string dir, EncoderType? encoderType = null)
    {
        var entry = EntryOf(dir);
        if (encoderType is { } type) entry = entry with { EncoderType = type.ToString() };
        var config = PspConfigOf(entry);
        var psp = new Psp(config);
        using (var ckpt = CheckpointReader.Read(Path.Combine(dir, PspFile)))
            PspWeights.Load(psp, ckpt.StateDict, ckpt.LatentAvg);
        var map = LoadFactorMap(Path.Combine(dir, FactorMapFile), config);
        psp.eval();
        return (psp, map, entry);
    }

    /// <summary>Where a pack records each run that trained its encoder further, in order.</summary>
    public const string FineTuneKey = "encoder_fine_tune";

    public static bool IsModelPack(string dir) => File.Exists(Path.Combine(dir, ModelPackManifest.FileName));

    /// <summary>Puts the encoder a run trained from <paramref name="packDir"/> into that pack (psp.pt and the manifest's
    /// hashes), appending the run's record to <c>training.encoder_fine_tune</c>.</summary>
    public static void IntoPack(string packDir, string runDir)
    {
        var manifest = ModelPackManifest.Read(Path.Combine(packDir, ModelPackManifest.FileName));
        var run = JsonNode.Parse(File.ReadAllText(Path.Combine(runDir, TrainingOutputs.RunFile))) as JsonObject
                  ?? throw new InvalidDataException($"{runDir}: {TrainingOutputs.RunFile} is not a JSON object");
        TrainingOutputs.UpdatePack(packDir, manifest, manifest.Encoder.File, Path.Combine(runDir, PspFile), FineTuneKey, run, append: true);
    }

    /// <summary>The configuration of a prior folder: its encoder.json, or for a demo model pack, which holds the same
    /// psp.pt and factor_map.pt, the manifest's encoder entry, so the pack's own encoder can be trained further.</summary>
    static EncoderEntry EntryOf(string dir)
    {
        var entryPath = Path.Combine(dir, EntryFile);
        if (File.Exists(entryPath))
            return System.Text.Json.JsonSerializer.Deserialize<EncoderEntry>(File.ReadAllText(entryPath), ModelPackManifest.Json)
                   ?? throw new InvalidDataException($"{entryPath}: empty");
        var manifestPath = Path.Combine(dir, ModelPackManifest.FileName);
        if (File.Exists(manifestPath) && File.Exists(Path.Combine(dir, FactorMapFile)))
            return ModelPackManifest.Read(manifestPath).Encoder;
        throw new FileNotFoundException(
            $"{dir} is neither a `train prior` output ({EntryFile} missing) nor a demo model pack ({ModelPackManifest.FileName} with {FactorMapFile})");
    }

    /// <summary>A factor map file (A and b as a linear layer's state dict) for codes of <paramref name="config"/>, in eval mode.</summary>
    public static FactorMap LoadFactorMap(string path, PspConfig config)
    {
        var map = NewFactorMap(config, 0);
        try
        {
            using (var ckpt = CheckpointReader.Read(path))
                ModuleState.LoadStrict(map, ckpt.StateDict, path);
            map.eval();
            return map;
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }

    /// <summary>latent_avg for the encoder's offsets: the code of the mean factor vector over <paramref name="count"/> scenes, one row per style.</summary>
    public static Tensor MeanCode(FactorMap map, int worldSeed, int count)
    {
        var world = new SyntheticWorld();
        var mean = new double[SceneFactors.Count];
        for (int i = 0; i < count; i++)
        {
            var f = SceneFactors.Of(world.Sample(worldSeed, i, Scenes.WorldSplit.Train));
            for (int k = 0; k < f.Length; k++) mean[k] += f[k] / count;
        }
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var code = map.call(tensor(mean.Select(v => (float)v).ToArray(), new long[] { 1, mean.Length }))[0];
        return code.detach().clone().MoveToOuterDisposeScope();
    }
}
