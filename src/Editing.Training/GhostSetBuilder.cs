using System.Text;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.StyleGan2;
using static TorchSharp.torch;

namespace Pipeline.Editing.Training;

/// <summary>One ghost pair with the tensors it was made from, all [1,…,S,S].</summary>
public sealed record GhostSample(Tensor Original, Tensor Inversion, Tensor Edited, Tensor Mask, Tensor FoldedMask, Tensor Composite, GhostItem Item) : IDisposable
{
    public void Dispose()
    {
        Original.Dispose(); Inversion.Dispose(); Edited.Dispose(); Mask.Dispose(); FoldedMask.Dispose(); Composite.Dispose();
    }
}

/// <summary>
/// Builds the deghosting training set (official <c>gen_dataset.py</c>): for each image I, invert it, apply a
/// direction drawn at random, take the Diff-CAM mask of that direction's class, fold it (Eq. 7: M > 0.5 → 1 − M, so it
/// never exceeds 0.5) and composite F = T·M_t + I·(1 − M_t). F goes to <c>lq/</c>, I to <c>gt/</c>: the deghosting
/// network learns to remove the ghosts a half-weighted edit leaves, towards the original. The draws of an item come from
/// (seed, its file name), so items are independent of each other and a resumed build skips finished ones.
/// </summary>
public sealed class GhostSetBuilder
{
    const int DirectionStream = 31;
    const int InversionNoiseStream = 32;
    const int EditNoiseStream = 33;

    readonly EditModels _models;
    readonly GhostSetOptions _options;
    readonly IReadOnlyList<LoadedDirection> _directions;
    readonly DiffCamStage _diffCam;

    public GhostSetBuilder(EditModels models, GhostSetOptions options)
    {
        options.Validate();
        _models = models;
        _options = options;
        _directions = (options.Directions ?? models.ClassedDirectionNames).Select(models.Direction).ToList();
        if (_directions.Count == 0) throw new ArgumentException("the model pack has no directions to edit with");
        _diffCam = new DiffCamStage(models.DiffCam, models.DiffCamInputSize, new MethodOptions(), models.AgnosticMaskGain);
    }

    /// <summary>The input images, sorted by file name; stems must be unique since they name the pairs.</summary>
    public List<string> Inputs()
    {
        var files = TrainingImages.List(_options.InputDir, recursive: false);
        var clash = files.GroupBy(f => Path.GetFileNameWithoutExtension(f), StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null) throw new ArgumentException($"{_options.InputDir}: {string.Join(" and ", clash.Select(Path.GetFileName))} would both become {clash.Key}.png");
        if (_options.Count is { } n) files = files.Take(n).ToList();
        if (files.Count == 0) throw new ArgumentException($"no images in {_options.InputDir}");
        return files;
    }

    /// <summary>Builds every missing pair; returns the manifest written to <c>ghost_set.json</c>.</summary>
    public GhostSetManifest Run(ITrainingProgress progress, CancellationToken cancel = default)
    {
        var files = Inputs();
        var lqDir = Path.Combine(_options.OutDir, GhostSetManifest.LowQualityDir);
        var gtDir = Path.Combine(_options.OutDir, GhostSetManifest.TargetDir);
        Directory.CreateDirectory(lqDir);
        Directory.CreateDirectory(gtDir);
        var previous = GhostSetManifest.TryRead(_options.OutDir);
        if (previous is not null && previous.Seed != _options.Seed)
            throw new ArgumentException($"{_options.OutDir} was built with seed {previous.Seed}, not {_options.Seed}: use another --out or the same seed");
        var done = (previous?.Items ?? new List<GhostItem>()).ToDictionary(i => i.Name, StringComparer.Ordinal);
        var manifest = new GhostSetManifest
        {
            Seed = _options.Seed,
            Models = _models.Directory,
            PackSha256 = new Dictionary<string, string>(_models.FileHashes),
            AlphaRange = _options.AlphaRange is var (lo, hi) ? [lo, hi] : null,
            Noise = _options.Noise.ToString().ToLowerInvariant(),
            ImageSize = _models.ImageSize,
        };

        progress.Started("ghost-set", 1, files.Count);
        int fresh = 0;
        for (int i = 0; i < files.Count; i++)
        {
            if (cancel.IsCancellationRequested) { progress.Message($"stopped after {i} item(s); the next run continues"); break; }
            var name = Path.GetFileNameWithoutExtension(files[i])!;
            string lq = Path.Combine(lqDir, name + ".png"), gt = Path.Combine(gtDir, name + ".png");
            if (done.TryGetValue(name, out var item) && File.Exists(lq) && File.Exists(gt))
            {
                manifest.Items.Add(item);
            }
            else
            {
                using var image = LoadImage(files[i], name);
                using var sample = Make(image, name, Path.GetFileName(files[i]));
                ImageWriter.SavePng(RgbImage.FromTensor(sample.Composite), lq);
                ImageWriter.SavePng(RgbImage.FromTensor(sample.Original), gt);
                manifest.Items.Add(sample.Item);
                if (sample.Item.DegenerateMask) progress.Message($"{name}: the Diff-CAM of {sample.Item.Direction} is constant; its mask is zero (lq = gt)");
                if (++fresh % _options.ManifestEvery == 0) manifest.Write(_options.OutDir);
            }
            progress.Step(i + 1, files.Count, new Dictionary<string, double> { ["alpha"] = manifest.Items[^1].Alpha });
        }
        manifest.Write(_options.OutDir);
        return manifest;
    }

    /// <summary>An input image at the pack's size, [1,3,S,S] in [−1,1].</summary>
    public Tensor LoadImage(string path, string name)
    {
        using var scope = NewDisposeScope();
        var x = ImageReader.Read(path).ToTensor();
        return SizePolicy.Fit(x, _models.ImageSize, _options.Size, name).MoveToOuterDisposeScope();
    }

    /// <summary>The ghost pair of one image [1,3,S,S] named <paramref name="name"/> (the name seeds its draws).</summary>
    public GhostSample Make(Tensor image, string name, string? source = null)
    {
        if (image.dim() != 4 || image.shape[0] != 1 || image.shape[1] != 3 || image.shape[2] != _models.ImageSize || image.shape[3] != _models.ImageSize)
            throw new ArgumentException($"{name}: expected [1,3,{_models.ImageSize},{_models.ImageSize}], got [{string.Join(",", image.shape)}]");
        long key = NameKey(name);
        var random = StepRandom.Dotnet(_options.Seed, key, DirectionStream);
        var direction = _directions[random.Next(_directions.Count)];
        double u = random.NextDouble();
        double alpha = _options.AlphaRange is var (lo, hi) ? lo + (hi - lo) * u : direction.UnitStrength;
        double strength = alpha / direction.UnitStrength;

        using var scope = NewDisposeScope();
        using var _ = inference_mode();
        var psp = _models.Psp;
        var latent = psp.Encode(Composition.AreaDownsample(image, psp.Config.InputSize));             // [1,n,512]
        var inversion = psp.Decode(latent, Noise(key, InversionNoiseStream), resize: false);          // I' [1,3,S,S]
        var edited = psp.Decode(direction.Direction.Apply(latent, alpha), Noise(key, EditNoiseStream), resize: false);   // T
        using var mask = _diffCam.Mask(inversion, edited, new long[] { direction.Mask.Target });       // M [1,1,S,S]
        var folded = Composition.Fold(mask.Mask);                                                     // M_t ≤ 0.5
        var composite = Composition.Compose(edited, image, folded);                                   // F
        var item = new GhostItem(name, source ?? name, direction.Direction.Name, direction.ClassIndex, strength, alpha, mask.Degenerate[0]);
        return new GhostSample(image.clone().MoveToOuterDisposeScope(), inversion.MoveToOuterDisposeScope(), edited.MoveToOuterDisposeScope(),
            mask.Mask.clone().MoveToOuterDisposeScope(), folded.MoveToOuterDisposeScope(), composite.MoveToOuterDisposeScope(), item);
    }

    NoiseSource Noise(long key, int stream) => _options.Noise == TrainingNoise.Stored
        ? NoiseSource.Stored
        : NoiseSource.Seeded((ulong)StepRandom.Dotnet(_options.Seed, key, stream).NextInt64());

    /// <summary>FNV-1a of the UTF-8 name: a stable per-item key (string.GetHashCode changes between processes).</summary>
    public static long NameKey(string name)
    {
        ulong h = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(name)) h = (h ^ b) * 1099511628211UL;
        return (long)h;
    }
}
