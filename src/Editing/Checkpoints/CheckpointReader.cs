using static TorchSharp.torch;

namespace Pipeline.Editing.Checkpoints;

/// <summary>
/// Opens any checkpoint this project meets: torch.save zip files (pSp container, plain state dicts, mmgen/mmcv
/// checkpoints) and safetensors. The format is detected from the first bytes; the kind from the content.
/// </summary>
public static class CheckpointReader
{
    static readonly string[] MmgenPrefixes = ["generator_ema.", "discriminator."];
    static readonly string[] PspPrefixes = ["encoder.", "decoder."];
    const string StateDictKey = "state_dict";
    const string OptsKey = "opts";
    const string LatentAvgKey = "latent_avg";

    public static Checkpoint Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint not found: {path}", path);
        return CheckpointFileSniffer.Detect(path) switch
        {
            CheckpointFileFormat.SafeTensors => new Checkpoint(path, CheckpointKind.SafeTensors, SafeTensorsFile.Read(path), EmptyOpts(), null, null),
            _ => FromTree(path, TorchSaveReader.Read(path)),
        };
    }

    static Checkpoint FromTree(string path, object? root)
    {
        if (root is not PickleDict dict)
            throw new CheckpointFormatException(path, $"holds a {PickleText.TypeName(root)}, not a state dict or a checkpoint dict");
        if (dict.TryGetValue(StateDictKey, out var inner))
        {
            if (inner is not PickleDict innerDict)
                throw new CheckpointFormatException(path, $"entry 'state_dict' is a {PickleText.TypeName(inner)}, not a dict");
            var sd = ToStateDict(path, innerDict, "state_dict");
            var kind = HasAll(sd, PspPrefixes) && dict.ContainsKey(OptsKey) ? CheckpointKind.PspContainer
                : HasAny(sd, MmgenPrefixes) ? CheckpointKind.MmgenCheckpoint
                : CheckpointKind.StateDictContainer;
            var latentAvg = dict.TryGetValue(LatentAvgKey, out var la) ? la as Tensor : null;
            return new Checkpoint(path, kind, sd, ReadOpts(path, dict), latentAvg, dict);
        }
        var plain = ToStateDict(path, dict, "top-level dict");
        return new Checkpoint(path, HasAny(plain, MmgenPrefixes) ? CheckpointKind.MmgenCheckpoint : CheckpointKind.PlainStateDict, plain, EmptyOpts(), null, null);
    }

    static StateDict ToStateDict(string path, PickleDict dict, string what)
    {
        var sd = new StateDict();
        foreach (var (key, value) in dict)
        {
            if (key is not string name)
                throw new CheckpointFormatException(path, $"{what} has a key of type {PickleText.TypeName(key)} ({PickleText.Repr(key)}); state dict keys are strings");
            if (value is not Tensor t)
                throw new CheckpointFormatException(path, $"{what} entry '{name}' is a {PickleText.TypeName(value)}, not a tensor" +
                    (what == "top-level dict" ? " (and there is no 'state_dict' entry)" : ""));
            sd.Add(name, t);
        }
        return sd;
    }

    static IReadOnlyDictionary<string, object?> ReadOpts(string path, PickleDict dict)
    {
        if (!dict.TryGetValue(OptsKey, out var opts) || opts is null) return EmptyOpts();
        if (opts is not PickleDict d)
            throw new CheckpointFormatException(path, $"entry 'opts' is a {PickleText.TypeName(opts)}, not a dict");
        var result = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in d)
            result[k as string ?? throw new CheckpointFormatException(path, $"opts key {PickleText.Repr(k)} is not a string")] = v;
        return result;
    }

    static IReadOnlyDictionary<string, object?> EmptyOpts() => new OrderedDictionary<string, object?>(StringComparer.Ordinal);

    static bool HasAll(StateDict sd, string[] prefixes) => prefixes.All(p => sd.Keys.Any(k => k.StartsWith(p, StringComparison.Ordinal)));
    static bool HasAny(StateDict sd, string[] prefixes) => prefixes.Any(p => sd.Keys.Any(k => k.StartsWith(p, StringComparison.Ordinal)));
}
