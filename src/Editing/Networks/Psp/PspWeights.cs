using Pipeline.Editing.Checkpoints;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.Psp;

/// <summary>
/// Loading pSp's checkpoint state (pSp's <c>load_weights</c>): the container's <c>state_dict</c> holds <c>encoder.*</c>
/// and <c>decoder.*</c> keys (pSp's <c>get_keys</c> strips the prefix), each part is loaded strictly, and
/// <c>latent_avg [n_styles,512]</c> is a separate top-level entry.
/// </summary>
public static class PspWeights
{
    public const string EncoderPrefix = "encoder.";
    public const string DecoderPrefix = "decoder.";

    /// <summary>The first conv, the only key the official fallback drops.</summary>
    public const string InputLayerWeight = "input_layer.0.weight";

    /// <summary>
    /// Loads a pSp checkpoint's state (<c>encoder.*</c>, <c>decoder.*</c>, each strict) and its <c>latent_avg</c>, as
    /// <c>pSp.load_weights</c> does; keys with another prefix are ignored, as <c>get_keys</c> ignores them, and logged.
    /// </summary>
    public static void Load(Psp psp, StateDict checkpointState, Tensor? latentAvg, PspLoadOptions? options = null, Action<string>? log = null)
    {
        options ??= PspLoadOptions.Strict;
        log ??= _ => { };
        var other = checkpointState.Keys.Where(k => !k.StartsWith(EncoderPrefix, StringComparison.Ordinal) && !k.StartsWith(DecoderPrefix, StringComparison.Ordinal)).ToList();
        if (other.Count > 0) log($"pSp checkpoint: ignored {other.Count} key(s) outside encoder.*/decoder.*: {string.Join(", ", other)}");

        LoadEncoder(psp.Encoder, checkpointState, options, log);
        var decoderState = checkpointState.WithPrefix(DecoderPrefix);
        ModuleState.LoadStrict(psp.Decoder, decoderState, "pSp checkpoint decoder.*");
        log($"pSp decoder: {decoderState.Count} tensors loaded strictly");

        if (latentAvg is null && psp.Config.StartFromLatentAvg)
            throw new ArgumentException("the pSp checkpoint has no 'latent_avg', but the configuration starts from it (start_from_latent_avg)", nameof(latentAvg));
        psp.SetLatentAvg(latentAvg);
        if (latentAvg is not null) log($"pSp latent_avg: [{string.Join(",", latentAvg.shape)}]");
    }

    /// <summary>
    /// Loads the <c>encoder.*</c> part of <paramref name="checkpointState"/> strictly; with
    /// <see cref="PspLoadOptions.AllowInputLayerFallback"/>, a failed strict load is retried as the official code does.
    /// </summary>
    public static void LoadEncoder(GradualStyleEncoder encoder, StateDict checkpointState, PspLoadOptions options, Action<string> log)
    {
        // WithPrefix shares the checkpoint's tensors: it must not be disposed here.
        var encoderState = checkpointState.WithPrefix(EncoderPrefix);
        try
        {
            ModuleState.LoadStrict(encoder, encoderState, "pSp checkpoint encoder.*");
            log($"pSp encoder: {encoderState.Count} tensors loaded strictly");
        }
        catch (StateDictMismatchException e) when (options.AllowInputLayerFallback)
        {
            log($"pSp encoder: strict load failed ({e.Missing.Count} missing, {e.Unexpected.Count} unexpected, {e.MisShaped.Count} mis-shaped); " +
                $"FALLBACK as the official code: dropping '{InputLayerWeight}' and loading non-strictly");
            var reduced = new StateDict();
            foreach (var (name, t) in encoderState)
                if (name != InputLayerWeight) reduced.Add(name, t);
            var (loaded, missing, unexpected) = LoadNonStrict(encoder, reduced);
            log($"pSp encoder: {loaded} tensors loaded; kept the initial value of {missing.Count} key(s): {string.Join(", ", missing)}" +
                (unexpected.Count > 0 ? $"; ignored {unexpected.Count} unexpected key(s): {string.Join(", ", unexpected)}" : ""));
        }
    }

    /// <summary>
    /// PyTorch's <c>load_state_dict(strict=False)</c>: copies every key present on both sides, reports missing and
    /// unexpected keys, and still refuses a key whose shape differs (as PyTorch does).
    /// </summary>
    public static (int Loaded, List<string> Missing, List<string> Unexpected) LoadNonStrict(nn.Module module, StateDict source)
    {
        var expected = ModuleState.OfficialOrder(module);
        var misShaped = new List<string>();
        var missing = new List<string>();
        foreach (var (name, target) in expected)
        {
            if (!source.TryGetValue(name, out var src)) { missing.Add(name); continue; }
            if (!src.shape.SequenceEqual(target.shape))
                misShaped.Add($"{name}: checkpoint {DTypes.ShapeText(src.shape)} vs model {DTypes.ShapeText(target.shape)}");
        }
        var known = expected.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var unexpected = source.Keys.Where(k => !known.Contains(k)).ToList();
        if (misShaped.Count > 0) throw new StateDictMismatchException("non-strict load", [], [], misShaped);

        using var _ = no_grad();
        int loaded = 0;
        foreach (var (name, target) in expected)
        {
            if (!source.TryGetValue(name, out var src)) continue;
            target.copy_(src);   // copy_ converts dtype and device
            loaded++;
        }
        return (loaded, missing, unexpected);
    }
}
