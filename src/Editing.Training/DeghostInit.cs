using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.Deghosting;
using Pipeline.Editing.Networks.Discriminator;
using Pipeline.Editing.Networks.StyleGan2;
using static TorchSharp.torch;

namespace Pipeline.Editing.Training;

/// <summary>
/// The networks a deghosting run starts from. Deghosting: <c>pack</c>, a deghosting.pt in the official layout, or
/// <c>scratch</c> — the FCN from torch's default init (seeded) and the frozen generator from the pack's pSp decoder or an
/// mmgen checkpoint. Discriminator: a file, or weights drawn from the seed as mmgen initialises them (N(0,1) equalized-lr
/// weights, constant biases) with a private generator, so the draw does not depend on anything else using torch's RNG.
/// </summary>
public static class DeghostInit
{
    const int DiscriminatorStream = 41;
    const string WeightSuffix = "weight_orig";
    const string MmgenDiscriminatorPrefix = "discriminator";

    public static (DeghostNetwork Network, string Description) Network(EditModels models, DeghostTrainingOptions options)
    {
        var config = EditModels.DeghostingConfigOf(models.Manifest);
        if (options.Init == DiffCamInit.Scratch) manual_seed(options.Training.Seed);
        var network = new DeghostNetwork(config);
        try
        {
            string description;
            if (options.Init == DiffCamInit.Pack)
            {
                ModuleState.LoadStrict(network, ModuleState.ToStateDict(models.Deghost), $"the pack's {models.Manifest.Deghosting.File}");
                description = $"the pack's {models.Manifest.Deghosting.File}";
            }
            else if (options.Init == DiffCamInit.Scratch)
            {
                description = "FCN from scratch (torch default init, seeded); frozen generator from " + LoadGenerator(models, network.Generator, options.Generator);
            }
            else
            {
                if (!File.Exists(options.Init)) throw new FileNotFoundException($"--init: neither '{DiffCamInit.Scratch}', '{DiffCamInit.Pack}' nor an existing deghosting file: {options.Init}");
                using var ckpt = CheckpointReader.Read(options.Init);
                ModuleState.LoadStrict(network, ckpt.StateDict, options.Init, new DeghostingKeyLayout());
                description = options.Init;
            }
            return (network, description);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    static string LoadGenerator(EditModels models, StyleGan2Generator generator, string source)
    {
        if (source == DeghostTrainingOptions.GeneratorFromPsp)
        {
            var skipped = GeneratorTransfer.Copy(models.Psp.Decoder, generator);
            return $"the pack's pSp decoder ({models.Manifest.Encoder.File}){(skipped.Count > 0 ? $", {skipped.Count} unused mapping tensor(s) left at init" : "")}";
        }
        if (!File.Exists(source)) throw new FileNotFoundException($"--generator: neither '{DeghostTrainingOptions.GeneratorFromPsp}' nor an existing mmgen checkpoint: {source}");
        using var ckpt = CheckpointReader.Read(source);
        var prefix = MmgenGeneratorLayout.CheckpointEmaPrefix.TrimEnd('.');
        var section = ckpt.Section(prefix);          // views of the checkpoint's tensors
        ModuleState.LoadStrict(generator, section, $"{source} ({prefix}.*)", new MmgenGeneratorLayout());
        return $"{source} ({prefix}.*)";
    }

    public static (StyleGan2Discriminator Network, string Description) Discriminator(EditModels models, DeghostTrainingOptions options)
    {
        var channels = options.DiscriminatorChannels ?? models.Manifest.Deghosting.Channels ?? DeghostingConfig.OfficialChannels;
        var config = new StyleGan2DiscriminatorConfig(models.Manifest.Deghosting.OutSize) { Channels = channels };
        var network = new StyleGan2Discriminator(config);
        try
        {
            if (options.DiscriminatorInit is { } path)
            {
                if (!File.Exists(path)) throw new FileNotFoundException($"--disc-init: file not found: {path}");
                using var ckpt = CheckpointReader.Read(path);
                bool mmgen = ckpt.Prefixes.Any(p => p.Prefix == MmgenDiscriminatorPrefix);
                var sd = mmgen ? ckpt.Section(MmgenDiscriminatorPrefix) : ckpt.StateDict;
                ModuleState.LoadStrict(network, sd, path);
                return (network, path + (mmgen ? $" ({MmgenDiscriminatorPrefix}.*)" : ""));
            }
            using var generator = StepRandom.Torch(options.Training.Seed, 0, DiscriminatorStream);
            using var _ = no_grad();
            foreach (var (name, p) in network.named_parameters())
                if (name.EndsWith(WeightSuffix, StringComparison.Ordinal))
                    Runtime.TensorCopy.CopyFrom(p, () => randn(p.shape, generator: generator));
            return (network, "drawn from the seed (mmgen init: N(0,1) equalized-lr weights, zero biases)");
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }
}
