namespace Pipeline.Editing.Method;

/// <summary>Where the generator's per-layer noise comes from during inference.</summary>
public enum NoiseMode
{
    /// <summary>The checkpoint's stored noise buffers: deterministic, and what the parity fixtures use.</summary>
    Stored,
    /// <summary>Noise drawn from <see cref="MethodOptions.Seed"/>: deterministic, different per seed.</summary>
    Seeded,
    /// <summary>Fresh noise on every generator call: the reference's <c>randomize_noise=True</c>; not reproducible.</summary>
    Random,
}

/// <summary>Options of the editing method (bound from configuration or the command line).</summary>
public sealed record MethodOptions
{
    public NoiseMode Noise { get; init; } = NoiseMode.Stored;
    public ulong Seed { get; init; }

    /// <summary>Diff-CAM weights in closed form (fc weights / HW, no autograd) or by autograd, as the reference hook does.</summary>
    public DiffCamWeighting Weighting { get; init; } = DiffCamWeighting.ClosedForm;

    /// <summary>Items processed as one tensor batch.</summary>
    public int BatchSize { get; init; } = 4;

    /// <summary>The encoder (default when the pack has one) or the optimisation-based projection.</summary>
    public InversionMethod Inversion { get; init; } = InversionMethod.Auto;

    /// <summary>Settings of the projection, used when <see cref="Inversion"/> resolves to it.</summary>
    public ProjectionOptions Projection { get; init; } = new();

    /// <summary>Skip deghosting (the coarse composite is then the output).</summary>
    public bool SkipDeghosting { get; init; }
}
