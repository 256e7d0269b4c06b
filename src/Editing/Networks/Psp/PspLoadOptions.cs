namespace Pipeline.Editing.Networks.Psp;

/// <summary>How a pSp checkpoint's state is loaded.</summary>
public sealed record PspLoadOptions
{
    public static PspLoadOptions Strict { get; } = new();

    /// <summary>
    /// The official <c>pSp.load_weights</c> fallback: when the strict encoder load fails, drop
    /// <c>input_layer.0.weight</c> and retry non-strictly (a checkpoint trained for another <c>input_nc</c>). The first
    /// conv then keeps its random initialisation. Off by default, so a mismatched checkpoint is an error; when used, the
    /// log says so.
    /// </summary>
    public bool AllowInputLayerFallback { get; init; }
}
