namespace Pipeline.Editing.Networks.Psp;

/// <summary>
/// The encoder forward a pSp-layout checkpoint was trained with, named as its <c>opts["encoder_type"]</c> names it. Both
/// share every key and shape; only the forward differs.
/// </summary>
public enum EncoderType
{
    /// <summary>pSp: one style head per W+ row, each row read on its own.</summary>
    GradualStyleEncoder,

    /// <summary>e4e (Tov et al., SIGGRAPH 2021): one code w0 from the coarsest head repeated over the rows, plus a per-row delta.</summary>
    Encoder4Editing,
}

/// <summary>The encoder types' names in checkpoints (<c>opts["encoder_type"]</c>), manifests and on the command line.</summary>
public static class EncoderTypes
{
    /// <summary>The checkpoint <c>opts</c> entry that names the encoder type.</summary>
    public const string OptsKey = "encoder_type";

    /// <summary>The short names of the command line, job settings and item.json.</summary>
    public const string Psp = "psp", E4e = "e4e";

    /// <summary>The type an <c>encoder_type</c> value names; an unknown value is refused with its name and where it was read.</summary>
    public static EncoderType Parse(string name, string source) =>
        Enum.GetNames<EncoderType>().Contains(name, StringComparer.Ordinal)
            ? Enum.Parse<EncoderType>(name)
            : throw new InvalidDataException($"{source}: unknown encoder_type '{name}' (known: {string.Join(", ", Enum.GetNames<EncoderType>())})");

    /// <summary>The type named in a checkpoint's <c>opts</c>; pSp when the opts do not name one (pSp's own default).</summary>
    public static EncoderType FromOpts(IReadOnlyDictionary<string, object?> opts, string source) =>
        opts.TryGetValue(OptsKey, out var value) && value is not null
            ? Parse(value as string ?? throw new InvalidDataException($"{source}: opts['{OptsKey}'] is {value.GetType().Name}, not a string"), source)
            : EncoderType.GradualStyleEncoder;

    /// <summary>The type a short name (<c>psp</c>, <c>e4e</c>) names.</summary>
    public static EncoderType FromShortName(string name) => name switch
    {
        Psp => EncoderType.GradualStyleEncoder,
        E4e => EncoderType.Encoder4Editing,
        _ => throw new ArgumentException($"unknown encoder '{name}' (known: {Psp}, {E4e})", nameof(name)),
    };

    public static string ShortName(EncoderType type) => type switch
    {
        EncoderType.GradualStyleEncoder => Psp,
        EncoderType.Encoder4Editing => E4e,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no short name"),
    };
}
