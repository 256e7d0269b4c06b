using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Editing.Method;

/// <summary>
/// <c>manifest.json</c> of a model pack: which file holds each network, the configuration it was built with, the
/// attribute directions with their DiffCam class, and the provenance of the training runs. Network files keep the
/// official key layouts (pSp container, plain DiffCam and Deghosting state dicts), so official checkpoints and ours
/// are interchangeable given the right configuration.
/// </summary>
public sealed record ModelPackManifest
{
    public const string FileName = "manifest.json";
    public const string CurrentFormat = "pipeline-model-pack/1";

    public string Format { get; init; } = CurrentFormat;
    public string Name { get; init; } = "";
    public string? Description { get; init; }

    /// <summary>Side of the images the pack edits (the generator's output size).</summary>
    public int ImageSize { get; init; }

    /// <summary>The pSp/e4e encoder with its decoder; a pack without one has an empty <c>file</c> (or no <c>encoder</c>).</summary>
    public EncoderEntry Encoder { get; init; } = new();

    /// <summary>
    /// The generator file of a pack without an encoder (inversion by projection): a StyleGAN2 state dict in rosinality's
    /// layout (bare, or under <c>g_ema.</c>/<c>decoder.</c>), or a pSp container whose <c>decoder.*</c> and
    /// <c>latent_avg</c> are used. Ignored when the pack has an encoder: its decoder is the generator then.
    /// </summary>
    public GeneratorEntry? Generator { get; init; }

    /// <summary>Further encoders of other types (e.g. an e4e beside the pSp <see cref="Encoder"/>), chosen with
    /// <c>--invert psp|e4e</c>. Each names its <c>encoder_type</c>; their decoders must equal the pack's generator.</summary>
    public List<EncoderEntry>? OtherEncoders { get; init; }

    [JsonIgnore]
    public bool HasEncoder => !string.IsNullOrEmpty(Encoder.File);

    /// <summary>The configuration of the pack's generator: the encoder's decoder, or the standalone generator.</summary>
    [JsonIgnore]
    public GeneratorEntry GeneratorConfig => HasEncoder ? Encoder.Generator : Generator ?? Encoder.Generator;
    public DiffCamEntry DiffCam { get; init; } = new();
    public DeghostingEntry Deghosting { get; init; } = new();
    public List<DirectionEntry> Directions { get; init; } = new();

    /// <summary>Other files of the pack (world classifier, discriminator, training logs…) with their sha256.</summary>
    public List<FileEntry> Files { get; init; } = new();

    /// <summary>Free-form training provenance: commands, seeds, wall times, metrics.</summary>
    public JsonElement? Training { get; init; }

    public static readonly JsonSerializerOptions Json = new()
    {
        // A manifest is read by people too: keep ·, −, × and apostrophes of the recorded recipes as they are, not \uXXXX.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static ModelPackManifest Read(string path)
    {
        try
        {
            var m = JsonSerializer.Deserialize<ModelPackManifest>(File.ReadAllText(path), Json)
                    ?? throw new InvalidDataException($"{path}: empty manifest");
            if (m.Format != CurrentFormat) throw new InvalidDataException($"{path}: manifest format '{m.Format}' is not '{CurrentFormat}'");
            if (m.DiffCam.AgnosticMaskGain is { } gain && (!double.IsFinite(gain) || gain < 1))
                throw new InvalidDataException($"{path}: diff_cam.agnostic_mask_gain is {gain}; it must be a finite number ≥ 1");
            return m;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: manifest is not valid JSON ({e.Message})");
        }
    }

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");
}

public sealed record FileEntry
{
    public string File { get; init; } = "";
    public string? Sha256 { get; init; }
    public string? Role { get; init; }
}

/// <summary>The pSp (or e4e: same layout) encoder plus its StyleGAN2 decoder, in one pSp container.</summary>
public sealed record EncoderEntry
{
    public string File { get; init; } = "";
    public string? Sha256 { get; init; }
    /// <summary>The forward the file was trained with, as its <c>opts["encoder_type"]</c> names it (<c>GradualStyleEncoder</c>
    /// or <c>Encoder4Editing</c>); null takes it from the file. The file's opts must agree.</summary>
    public string? EncoderType { get; init; }
    public int EncoderDepth { get; init; } = 50;
    public int InputSize { get; init; } = 256;
    public int StyleDim { get; init; } = 512;
    public int CoarseStyles { get; init; } = 3;
    public int MiddleStylesEnd { get; init; } = 7;
    /// <summary>IR-SE stage widths (null: the official 64/128/256/512).</summary>
    public List<int>? EncoderWidths { get; init; }
    /// <summary>IR-SE units per stage (null: the layout of <see cref="EncoderDepth"/>).</summary>
    public List<int>? EncoderUnits { get; init; }
    public GeneratorEntry Generator { get; init; } = new();
}

/// <summary>A StyleGAN2 generator configuration (rosinality layout).</summary>
public sealed record GeneratorEntry
{
    /// <summary>Only for the pack's standalone generator; null inside the encoder entry (the decoder is in the encoder's file).</summary>
    public string? File { get; init; }
    public string? Sha256 { get; init; }
    public int Size { get; init; } = 1024;
    public int StyleDim { get; init; } = 512;
    public int NMlp { get; init; } = 8;
    public int ChannelMultiplier { get; init; } = 2;
    public double LrMlp { get; init; } = 0.01;
    /// <summary>Explicit channels per resolution (keys are resolutions as strings in JSON).</summary>
    public Dictionary<int, int>? Channels { get; init; }
}

public sealed record DiffCamEntry
{
    public string File { get; init; } = "";
    public string? Sha256 { get; init; }
    public int ResnetDepth { get; init; } = 101;
    public int BaseWidth { get; init; } = 64;
    public int SharedLayer3Blocks { get; init; } = 10;
    public int NumClass { get; init; } = 17;
    /// <summary>Side of the images DiffCam compares (256 officially: face_pool of the generator output).</summary>
    public int InputSize { get; init; } = 256;
    /// <summary>Scale of the class-agnostic mask before it is clipped at 1 (absent: 1, the min-max map as it is). Its min-max
    /// map reaches 1 only at the strongest difference, so the rest of a change is blended in part; a gain g takes
    /// every pixel at 1/g of the peak or above fully from the edit. Monotone, so the mask's ranking is unchanged.</summary>
    public double? AgnosticMaskGain { get; init; }
}

public sealed record DeghostingEntry
{
    public string File { get; init; } = "";
    public string? Sha256 { get; init; }
    public int InSize { get; init; } = 128;
    public int OutSize { get; init; } = 1024;
    public int StyleChannels { get; init; } = 512;
    public int NumBlocks { get; init; } = 23;
    public int NumMid { get; init; } = 64;
    public int NumGrow { get; init; } = 32;
    public int DecoderTailChannels { get; init; } = 64;
    /// <summary>Channels per resolution, shared by the FCN and its frozen generator (the official GLEAN table if absent).</summary>
    public Dictionary<int, int>? Channels { get; init; }
}

public sealed record DirectionEntry
{
    public string Name { get; init; } = "";
    public string File { get; init; } = "";
    public string? Sha256 { get; init; }
    /// <summary>The DiffCam class that recognises this edit (its Grad-CAM target).</summary>
    public int ClassIndex { get; init; }

    /// <summary>
    /// How the edit's mask is made when the DA module was not trained on this direction: <c>nearest</c> (Diff-CAM over
    /// the class of the trained direction nearest by |cosine|), <c>agnostic</c> (the class-agnostic activation
    /// difference) or a trained direction's name (Diff-CAM over its class). Absent: Diff-CAM of <see cref="ClassIndex"/>.
    /// </summary>
    public string? Mask { get; init; }
    public DirectionNormalization Normalization { get; init; } = DirectionNormalization.Frobenius;
    /// <summary>The strength a plain <c>--edit name</c> (or <c>name=+1</c>) scales: the official alpha is 20.</summary>
    public double UnitStrength { get; init; } = 20;

    /// <summary>Where the entry came from (the manifest, a direction list's row, a loose file): for messages only.</summary>
    [JsonIgnore]
    public string? Origin { get; init; }

    /// <summary>True when nobody named a DiffCam class for this direction (<see cref="PackDirections"/>: no class at all,
    /// or a list row that names only its mask, <c>agnostic</c> or <c>nearest</c>): the class index is a placeholder that
    /// the DA module was never trained on for this edit.</summary>
    [JsonIgnore]
    public bool ClassAssumed { get; init; }
}
