using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Networks.Deghosting;
using Pipeline.Editing.Networks.DiffCam;
using Pipeline.Editing.Networks.Psp;
using Pipeline.Editing.Networks.StyleGan2;
using Pipeline.Editing.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Method;

/// <summary>A direction ready to apply, with the DiffCam class of the manifest and how its mask is made
/// (<paramref name="MaskSource"/> null: Diff-CAM of <paramref name="ClassIndex"/>).</summary>
public sealed record LoadedDirection(EditDirection Direction, int ClassIndex, double UnitStrength, string Sha256, DirectionMask? MaskSource = null)
{
    public DirectionMask Mask => MaskSource ?? DirectionMask.OwnClass(ClassIndex);

    /// <summary>No class was named for it: <see cref="ClassIndex"/> is <see cref="PackDirections.AssumedClass"/>, and its
    /// mask is the class-agnostic one unless its entry names another.</summary>
    public bool ClassAssumed { get; init; }
}

/// <summary>
/// The networks of one model pack, loaded once (strictly, by official keys) and put in eval mode: pSp (encoder +
/// StyleGAN2 decoder), DiffCam, Deghosting, and the attribute directions. Either a pack with <c>manifest.json</c>, or a
/// folder with the official release files (<c>pSp_ffhq_encode.pt</c> and/or <c>e4e_ffhq_encode.pt</c>,
/// <c>diff_cam_weight.pt</c>, <c>deghosting.pt</c>, <c>directions/*.npy</c>) and the official configuration. Each
/// encoder file's <c>opts["encoder_type"]</c> says which forward it runs; a pack may hold one encoder per type. The networks are built on the CPU, loaded, then moved to
/// <see cref="Device"/> with <c>latent_avg</c> and the directions.
/// </summary>
public sealed class EditModels : IDisposable
{
    /// <summary>The official <c>direction2idx</c> of image_process.py: DA class per shipped direction file.</summary>
    public static readonly IReadOnlyDictionary<string, int> OfficialDirectionClasses = new Dictionary<string, int>
    {
        ["Bushy_Eyebrows"] = 6, ["Eyeglasses"] = 7, ["Mouth_Open"] = 10, ["Narrow_Eyes"] = 11, ["Beard"] = 12, ["Smiling"] = 15, ["Old"] = 16,
    };

    public const string OfficialEncoderFile = "pSp_ffhq_encode.pt";
    public const string OfficialE4eEncoderFile = "e4e_ffhq_encode.pt";

    /// <summary>The official encoder files in order of preference for the pack's main encoder.</summary>
    public static readonly IReadOnlyList<string> OfficialEncoderFiles = [OfficialEncoderFile, OfficialE4eEncoderFile];
    public const string OfficialDiffCamFile = "diff_cam_weight.pt";
    public const string OfficialDeghostingFile = "deghosting.pt";
    public const double OfficialAlpha = 20;

    EditModels(string directory, ModelPackManifest manifest, Psp? psp, StyleGan2Generator generator, Tensor? latentAvg,
        DiffCam diffCam, DeghostNetwork deghost, Dictionary<string, LoadedDirection> directions, Dictionary<string, string> hashes,
        ComputeDevice device, IReadOnlyList<Psp>? otherEncoders = null)
    {
        Directory = directory;
        Device = device;
        Manifest = manifest;
        _psp = psp;
        _encoders = (psp is null ? [] : new[] { psp }.Concat(otherEncoders ?? [])).ToDictionary(e => e.Config.EncoderType);
        Generator = generator;
        _standaloneLatentAvg = psp is null ? latentAvg : null;
        DiffCam = diffCam;
        Deghost = deghost;
        Directions = directions;
        FileHashes = hashes;
    }

    readonly Psp? _psp;
    readonly Dictionary<EncoderType, Psp> _encoders;
    readonly Tensor? _standaloneLatentAvg;

    public string Directory { get; }
    public ModelPackManifest Manifest { get; }

    /// <summary>Where every network, <c>latent_avg</c> and direction of the pack sits (recorded with every output).</summary>
    public ComputeDevice Device { get; }

    /// <summary>Whether the pack has an encoder (pSp/e4e); without one, images are inverted by projection.</summary>
    public bool HasEncoder => _psp is not null;

    /// <summary>pSp (encoder + decoder); a pack without an encoder has none.</summary>
    public Psp Psp => _psp ?? throw new InvalidOperationException(
        $"model pack '{Manifest.Name}' has no encoder (pSp): this needs one; editing works with --invert projection");

    /// <summary>Every encoder of the pack by type (the main one included); empty for a pack without an encoder.
    /// All decode with <see cref="Generator"/>.</summary>
    public IReadOnlyDictionary<EncoderType, Psp> Encoders => _encoders;

    /// <summary>The pack's encoder of <paramref name="type"/>; a pack without one is an error naming what it has.</summary>
    public Psp EncoderOf(EncoderType type) => _encoders.TryGetValue(type, out var psp) ? psp : throw new ArgumentException(
        $"model pack '{Manifest.Name}' has no {EncoderTypes.ShortName(type)} encoder ({type}); it inverts with: " +
        string.Join(", ", _encoders.Keys.Select(EncoderTypes.ShortName).Append("projection")));

    /// <summary>The pack's StyleGAN2 generator: the pSp decoder, or the standalone generator of a pack without an encoder.</summary>
    public StyleGan2Generator Generator { get; }

    /// <summary>pSp's <c>latent_avg</c> [n,D], or the one the standalone generator's file carries; null when there is none.</summary>
    public Tensor? LatentAvg => _psp is not null ? _psp.LatentAvg : _standaloneLatentAvg;

    public DiffCam DiffCam { get; }
    public DeghostNetwork Deghost { get; }
    public IReadOnlyDictionary<string, LoadedDirection> Directions { get; }

    /// <summary>sha256 of every network file, by role (encoder, diffcam, deghosting) — recorded with every output.</summary>
    public IReadOnlyDictionary<string, string> FileHashes { get; }

    /// <summary>Side of the images this pack edits.</summary>
    public int ImageSize => Manifest.ImageSize;
    public int DiffCamInputSize => Manifest.DiffCam.InputSize;
    public double AgnosticMaskGain => Manifest.DiffCam.AgnosticMaskGain ?? 1;

    /// <summary>The directions that name their DiffCam class, in name order: what DA training and ghost sets take when
    /// no list is given (a direction whose class is a placeholder would teach DiffCam a wrong class). A direction whose
    /// edits take the class-agnostic mask still counts when its class is its alone (a pack whose trained directions
    /// were switched to that mask with <c>directions mask</c>); one sharing its class with another does not.</summary>
    public IReadOnlyList<string> ClassedDirectionNames
    {
        get
        {
            var named = Directions.Where(kv => !kv.Value.ClassAssumed).ToList();
            var claims = named.GroupBy(kv => kv.Value.ClassIndex).ToDictionary(g => g.Key, g => g.Count());
            return named.Where(kv => kv.Value.Mask.Kind == DirectionMaskKind.OwnClass
                                     || (kv.Value.Mask.Kind == DirectionMaskKind.Agnostic && claims[kv.Value.ClassIndex] == 1))
                .Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
        }
    }

    public LoadedDirection Direction(string attribute) =>
        Directions.TryGetValue(attribute, out var d)
            ? d
            : throw new UnknownAttributeException(attribute, Directions.Keys);

    /// <summary>Networks built in memory (benchmarks, training): the manifest describes them; nothing is read from disk.
    /// They move to <paramref name="device"/> (null: they stay on the CPU), the directions replaced by moved copies.</summary>
    public static EditModels FromNetworks(ModelPackManifest manifest, Psp psp, DiffCam diffCam, DeghostNetwork deghost,
        IReadOnlyDictionary<string, LoadedDirection> directions, ComputeDevice? device = null)
    {
        device ??= ComputeDevice.Cpu;
        var to = device.Torch;
        MovePsp(psp, to); diffCam.to(to); deghost.to(to);
        psp.eval(); diffCam.eval(); deghost.eval();
        var moved = directions.ToDictionary(kv => kv.Key, kv => kv.Value with { Direction = kv.Value.Direction.MoveTo(to) });
        return new EditModels("(memory)", manifest, psp, psp.Decoder, null, diffCam, deghost, moved, new Dictionary<string, string>(), device);
    }

    /// <summary>pSp to <paramref name="to"/> with its <c>latent_avg</c>, which is held outside the module's state (a
    /// checkpoint entry of its own) and so moves by hand.</summary>
    static void MovePsp(Psp psp, Device to)
    {
        psp.to(to);
        if (psp.LatentAvg is { } avg)
        {
            using var moved = TensorCopy.DetachedFloat32CopyOn(avg, to);
            psp.SetLatentAvg(moved);
        }
    }

    /// <summary>The pack in <paramref name="directory"/> on the CPU.</summary>
    public static EditModels Load(string directory, Action<string>? log = null) => Load(directory, ComputeDevice.Cpu, log);

    /// <summary>The pack in <paramref name="directory"/>, loaded on the CPU and moved to <paramref name="device"/>.</summary>
    public static EditModels Load(string directory, ComputeDevice device, Action<string>? log = null)
    {
        log ??= _ => { };
        return Load(directory, PackDirections.ManifestOf(directory), device, log);
    }

    static EditModels Load(string directory, ModelPackManifest m, ComputeDevice device, Action<string> log)
    {
        var to = device.Torch;
        var hashes = new Dictionary<string, string>();
        string Resolve(string role, string file, string? expected)
        {
            var path = Path.Combine(directory, file);
            if (!File.Exists(path)) throw new FileNotFoundException($"{role} file missing from the model pack: {path}");
            var sha = FileHash.Sha256(path);
            if (expected is not null && !string.Equals(expected, sha, StringComparison.OrdinalIgnoreCase))
                throw new CheckpointFormatException(path, $"sha256 {sha} differs from the manifest's {expected}: the file is not the one the pack was built with");
            hashes[role] = sha;
            return path;
        }

        Psp? psp = null; var others = new List<Psp>(); StyleGan2Generator? standalone = null; Tensor? latentAvg = null; DiffCam? diffCam = null; DeghostNetwork? deghost = null;
        var directions = new Dictionary<string, LoadedDirection>(StringComparer.Ordinal);
        try
        {
            if (m.HasEncoder)
            {
                psp = LoadEncoder(m, m.Encoder, Resolve("encoder", m.Encoder.File, m.Encoder.Sha256), to, log);
                foreach (var entry in m.OtherEncoders ?? [])
                {
                    var other = LoadEncoder(m, entry, Resolve($"encoder:{entry.File}", entry.File, entry.Sha256), to, log);
                    others.Add(other);
                    var type = other.Config.EncoderType;
                    if (psp.Config.EncoderType == type || others.Count(o => o.Config.EncoderType == type) > 1)
                        throw new InvalidDataException($"model pack '{m.Name}' has two {type} encoders ({entry.File}); one per type");
                    RequireSameDecoder(psp, other, entry.File);
                }
            }
            else
            {
                var g = m.Generator is { File: { Length: > 0 } } ge ? ge
                    : throw new InvalidDataException($"model pack '{m.Name}' has neither an encoder nor a generator file (manifest 'generator': {{\"file\": …}})");
                var genPath = Resolve("generator", g.File!, g.Sha256);
                standalone = new StyleGan2Generator(GeneratorConfigOf(g));
                using (var ckpt = CheckpointReader.Read(genPath))
                {
                    ModuleState.LoadStrict(standalone, GeneratorState(ckpt), genPath);
                    latentAvg = ckpt.LatentAvg is { } avg ? TensorCopy.DetachedFloat32CopyOn(avg, to) : null;
                }
                standalone.to(to);
                standalone.eval();
                log($"generator: {g.File} (StyleGAN2 {g.Size}², no encoder: inversion by projection{(latentAvg is null ? "" : ", latent_avg")})");
            }

            var dcPath = Resolve("diffcam", m.DiffCam.File, m.DiffCam.Sha256);
            diffCam = new DiffCam(DiffCamConfigOf(m));
            using (var ckpt = CheckpointReader.Read(dcPath))
                ModuleState.LoadStrict(diffCam, ckpt.StateDict, dcPath);
            diffCam.to(to);
            diffCam.eval();
            log($"diffcam: {m.DiffCam.File} (ResNet-{m.DiffCam.ResnetDepth}, {m.DiffCam.NumClass} classes)");

            var dgPath = Resolve("deghosting", m.Deghosting.File, m.Deghosting.Sha256);
            deghost = new DeghostNetwork(DeghostingConfigOf(m));
            using (var ckpt = CheckpointReader.Read(dgPath))
                ModuleState.LoadStrict(deghost, ckpt.StateDict, dgPath, new DeghostingKeyLayout());
            deghost.to(to);
            deghost.eval();
            log($"deghosting: {m.Deghosting.File} ({m.Deghosting.InSize}² → {m.Deghosting.OutSize}²)");

            if (m.Deghosting.OutSize != m.ImageSize || m.GeneratorConfig.Size != m.ImageSize)
                throw new InvalidDataException($"model pack sizes disagree: image {m.ImageSize}, generator {m.GeneratorConfig.Size}, deghosting output {m.Deghosting.OutSize}");

            foreach (var d in m.Directions)
            {
                var path = Resolve("direction:" + d.Name, d.File, d.Sha256);
                if (d.ClassIndex < 0 || d.ClassIndex >= m.DiffCam.NumClass)
                    throw new InvalidDataException($"direction '{d.Name}' names DiffCam class {d.ClassIndex}, outside 0..{m.DiffCam.NumClass - 1}");
                var dir = EditDirection.Load(path, d.Normalization, d.Name).MoveTo(to);
                directions[d.Name] = new LoadedDirection(dir, d.ClassIndex, d.UnitStrength, hashes["direction:" + d.Name]) { ClassAssumed = d.ClassAssumed };
            }
            log($"directions: {string.Join(", ", directions.Keys)}");
            var masks = DirectionMasks.Resolve(m.Directions, directions.ToDictionary(kv => kv.Key, kv => kv.Value.Direction), log);
            foreach (var (name, mask) in masks) directions[name] = directions[name] with { MaskSource = mask };
            log($"device: {device.Name}");
            return new EditModels(directory, m, psp, psp?.Decoder ?? standalone!, latentAvg, diffCam, deghost, directions, hashes, device, others);
        }
        catch
        {
            psp?.Dispose(); foreach (var o in others) o.Dispose(); standalone?.Dispose(); latentAvg?.Dispose(); diffCam?.Dispose(); deghost?.Dispose();
            foreach (var d in directions.Values) d.Direction.Dispose();
            throw;
        }
    }

    /// <summary>One encoder file: its forward is the one its <c>opts["encoder_type"]</c> names (the entry, when it
    /// names one, must agree), loaded strictly, moved to <paramref name="to"/>, in eval mode.</summary>
    static Psp LoadEncoder(ModelPackManifest m, EncoderEntry entry, string path, Device to, Action<string> log)
    {
        using var ckpt = CheckpointReader.Read(path);
        var type = EncoderTypes.FromOpts(ckpt.Opts, path);
        if (entry.EncoderType is { } declared && EncoderTypes.Parse(declared, $"model pack '{m.Name}' entry {entry.File}") != type)
            throw new InvalidDataException($"{path}: opts['{EncoderTypes.OptsKey}'] is {type} but the manifest says {declared}");
        var psp = new Psp(PspConfigOf(m, entry) with { EncoderType = type });
        try
        {
            PspWeights.Load(psp, ckpt.StateDict, ckpt.LatentAvg, log: log);
            MovePsp(psp, to);
            psp.eval();
        }
        catch
        {
            psp.Dispose();
            throw;
        }
        log($"encoder: {entry.File} ({EncoderTypes.ShortName(type)}: {type}, {entry.InputSize}² → {entry.Generator.Size}²)");
        return psp;
    }

    /// <summary>DiffCam and Deghosting were trained on one generator's images, so every encoder of a pack must come
    /// with that generator: a second encoder file whose decoder differs is refused.</summary>
    static void RequireSameDecoder(Psp main, Psp other, string file)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var a = ModuleState.OfficialOrder(main.Decoder);
        var b = ModuleState.OfficialOrder(other.Decoder);
        var differing = a.Zip(b).Where(p => !p.First.Tensor.shape.SequenceEqual(p.Second.Tensor.shape) || !p.First.Tensor.eq(p.Second.Tensor).all().item<bool>()).Select(p => p.First.Name).ToList();
        if (differing.Count > 0)
            throw new InvalidDataException($"{file}: its decoder differs from the pack's generator in {differing.Count} tensor(s) (first: {differing[0]}); " +
                "DiffCam and Deghosting were trained on one generator, so every encoder must come with it");
    }

    public static PspConfig PspConfigOf(ModelPackManifest m) => PspConfigOf(m, m.Encoder);

    /// <summary>The pSp configuration of one of the pack's encoder entries.</summary>
    public static PspConfig PspConfigOf(ModelPackManifest m, EncoderEntry e) => new(
        EncoderDepth: e.EncoderDepth, InputSize: e.InputSize, OutputSize: e.Generator.Size,
        StyleDim: e.Generator.StyleDim, CoarseStyles: e.CoarseStyles, MiddleStylesEnd: e.MiddleStylesEnd,
        FacePoolSize: m.DiffCam.InputSize, ChannelMultiplier: e.Generator.ChannelMultiplier, MappingLayers: e.Generator.NMlp)
    {
        DecoderChannels = e.Generator.Channels,
        LrMlp = e.Generator.LrMlp,
        EncoderWidths = e.EncoderWidths,
        EncoderUnits = e.EncoderUnits,
        EncoderType = e.EncoderType is { } type ? EncoderTypes.Parse(type, $"model pack '{m.Name}' encoder entry {e.File}") : EncoderType.GradualStyleEncoder,
    };

    public static StyleGan2Config GeneratorConfigOf(GeneratorEntry g) =>
        new(g.Size, g.StyleDim, g.NMlp, g.ChannelMultiplier, g.LrMlp) { Channels = g.Channels };

    /// <summary>The generator's tensors in a file: a pSp container's <c>decoder.*</c>, a rosinality <c>g_ema.*</c>, or a bare state dict.</summary>
    static StateDict GeneratorState(Checkpoint ckpt)
    {
        if (ckpt.Kind == CheckpointKind.PspContainer) return ckpt.Section("decoder");
        foreach (var prefix in new[] { "g_ema", "decoder" })
            if (ckpt.Prefixes.Any(p => p.Prefix == prefix) && ckpt.Prefixes.All(p => p.Prefix != "style")) return ckpt.Section(prefix);
        return ckpt.StateDict;
    }

    public static DiffCamConfig DiffCamConfigOf(ModelPackManifest m) =>
        new(ResNetLayout.ForDepth(m.DiffCam.ResnetDepth, m.DiffCam.BaseWidth), m.DiffCam.NumClass, m.DiffCam.SharedLayer3Blocks);

    public static DeghostingConfig DeghostingConfigOf(ModelPackManifest m) => new()
    {
        InSize = m.Deghosting.InSize,
        OutSize = m.Deghosting.OutSize,
        StyleChannels = m.Deghosting.StyleChannels,
        NumBlocks = m.Deghosting.NumBlocks,
        NumMid = m.Deghosting.NumMid,
        NumGrow = m.Deghosting.NumGrow,
        DecoderTailChannels = m.Deghosting.DecoderTailChannels,
        Channels = m.Deghosting.Channels ?? DeghostingConfig.OfficialChannels,
    };

    /// <summary>The release layout of the official repository, with its configuration (image_process.py defaults):
    /// <c>pSp_ffhq_encode.pt</c> is the main encoder when present, <c>e4e_ffhq_encode.pt</c> the main or the other one.</summary>
    public static ModelPackManifest OfficialManifest(string directory)
    {
        var encoders = OfficialEncoderFiles.Where(f => File.Exists(Path.Combine(directory, f))).ToList();
        if (encoders.Count == 0)
            throw new FileNotFoundException($"{directory} has no {ModelPackManifest.FileName} and is not an official release folder (neither {string.Join(" nor ", OfficialEncoderFiles)})");
        foreach (var f in new[] { OfficialDiffCamFile, OfficialDeghostingFile })
            if (!File.Exists(Path.Combine(directory, f)))
                throw new FileNotFoundException($"{directory} has no {ModelPackManifest.FileName} and is not an official release folder ({f} missing)");
        var dirs = System.IO.Directory.Exists(Path.Combine(directory, "directions"))
            ? System.IO.Directory.GetFiles(Path.Combine(directory, "directions"), "*.npy").OrderBy(p => p, StringComparer.Ordinal).ToList()
            : new List<string>();
        var official = OfficialConfiguration();
        return official with
        {
            Encoder = official.Encoder with { File = encoders[0] },
            OtherEncoders = encoders.Skip(1).Select(f => official.Encoder with { File = f }).ToList() is { Count: > 0 } more ? more : null,
            Directions = dirs
                .Where(p => OfficialDirectionClasses.ContainsKey(Path.GetFileNameWithoutExtension(p)))
                .Select(p => new DirectionEntry
                {
                    Name = Path.GetFileNameWithoutExtension(p),
                    File = Path.GetRelativePath(directory, p),
                    ClassIndex = OfficialDirectionClasses[Path.GetFileNameWithoutExtension(p)],
                    Normalization = DirectionNormalization.Frobenius,
                    UnitStrength = OfficialAlpha,
                    Origin = "official direction2idx",
                }).ToList(),
        };
    }

    /// <summary>The reference configuration (image_process.py defaults) without any direction.</summary>
    public static ModelPackManifest OfficialConfiguration() => new()
    {
        Name = "official",
        Description = "Official release files (Song et al., ECCV 2022) with the reference configuration",
        ImageSize = 1024,
        Encoder = new EncoderEntry { File = OfficialEncoderFile },
        DiffCam = new DiffCamEntry { File = OfficialDiffCamFile },
        Deghosting = new DeghostingEntry { File = OfficialDeghostingFile },
    };

    public void Dispose()
    {
        if (_psp is not null) foreach (var e in _encoders.Values) e.Dispose();
        else { Generator.Dispose(); _standaloneLatentAvg?.Dispose(); }
        DiffCam.Dispose();
        Deghost.Dispose();
        foreach (var d in Directions.Values) d.Direction.Dispose();
    }
}

/// <summary>An edit names an attribute the model pack has no direction for.</summary>
public sealed class UnknownAttributeException(string attribute, IEnumerable<string> known)
    : ArgumentException($"unknown attribute '{attribute}' (this model pack has: {string.Join(", ", known)})")
{
    public string Attribute { get; } = attribute;
}
