namespace Pipeline.Contracts;

/// <summary>Per-job settings every stage sees.</summary>
/// <param name="Seed">Seed for anything stochastic in the stages, so a rerun reproduces its outputs.</param>
/// <param name="HalfPrecisionTensors">Store intermediate tensors (latents, masks) as fp16 safetensors.</param>
/// <param name="Settings">Stage-specific settings by name, passed through untouched.</param>
public sealed record JobOptions(int Seed, bool HalfPrecisionTensors, IReadOnlyDictionary<string, string>? Settings = null)
{
    public static JobOptions Default { get; } = new(0, false);
}
