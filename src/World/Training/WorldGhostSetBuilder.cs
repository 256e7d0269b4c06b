using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Editing.Training;
using Pipeline.World.Scenes;
using static TorchSharp.torch;

namespace Pipeline.World.Training;

/// <summary>What a world ghost set is made of.</summary>
/// <param name="WorldSeed">world seed of the scenes (a training seed, never a benchmark's)</param>
/// <param name="OodFraction">share of scenes drawn from the ood split (occluders, patterned backgrounds)</param>
/// <param name="SecondEditFraction">share of items edited along two attributes, one after the other</param>
public sealed record WorldGhostSetOptions(string OutDir, int WorldSeed, int Count, long Seed, double OodFraction = 0.6, double SecondEditFraction = 0.3)
{
    public void Validate()
    {
        if (Count < 1) throw new ArgumentException($"--count must be at least 1, got {Count}");
        if (OodFraction is < 0 or > 1) throw new ArgumentException($"--ood-fraction must lie in [0,1], got {OodFraction}");
        if (SecondEditFraction is < 0 or > 1) throw new ArgumentException($"--second-edit-fraction must lie in [0,1], got {SecondEditFraction}");
    }
}

/// <summary>
/// A deghosting training set from the synthetic world, where the true edit is known: for scene i, the method runs as it
/// does at inference up to the composite F = T·M + I·(1 − M) (the Diff-CAM mask unfolded, the edits ±1 toward each
/// attribute's other state), F goes to <c>lq/</c> and the scene rendered with those attributes flipped, occluders and
/// background unchanged, to <c>gt/</c>. Deghosting then learns to turn the method's composite into the true edited
/// photo: keep what is outside the edit, finish the edit where the soft mask let the original show through. (The
/// official recipe, with no true edit available for photos, folds the mask and restores the original; `pipeline
/// ghost-set` builds that.) Items are drawn from (seed, index) alone, so a resumed build skips finished ones.
/// </summary>
public sealed class WorldGhostSetBuilder(EditModels models, WorldGhostSetOptions options)
{
    const int SplitStream = 51, AttributeStream = 52;
    readonly SyntheticWorld _world = new();
    readonly EditMethod _method = new(models, new MethodOptions { SkipDeghosting = true, BatchSize = 1 });

    public GhostSetManifest Run(ITrainingProgress progress, CancellationToken cancel = default)
    {
        options.Validate();
        var attributes = WorldAttributes.All.Where(a => models.Directions.ContainsKey(a.Name)).ToList();
        if (attributes.Count == 0) throw new ArgumentException($"the model pack edits none of the world's attributes ({string.Join(", ", WorldAttributes.Names)})");
        var lqDir = Path.Combine(options.OutDir, GhostSetManifest.LowQualityDir);
        var gtDir = Path.Combine(options.OutDir, GhostSetManifest.TargetDir);
        Directory.CreateDirectory(lqDir);
        Directory.CreateDirectory(gtDir);
        var previous = GhostSetManifest.TryRead(options.OutDir);
        if (previous is not null && previous.Seed != options.Seed)
            throw new ArgumentException($"{options.OutDir} was built with seed {previous.Seed}, not {options.Seed}: use another --out or the same seed");
        var done = (previous?.Items ?? new List<GhostItem>()).ToDictionary(i => i.Name, StringComparer.Ordinal);
        var manifest = new GhostSetManifest
        {
            Seed = options.Seed,
            Models = models.Directory,
            PackSha256 = new Dictionary<string, string>(models.FileHashes),
            Noise = "stored",
            ImageSize = models.ImageSize,
            Composite = $"lq: F = T·M + I·(1 − M) as the method composes it (mask not folded), edits ±1 toward the other state; gt: the true edited scene of the synthetic world (world seed {options.WorldSeed}, {options.OodFraction:0.##} of the scenes ood, {options.SecondEditFraction:0.##} with two edits)",
        };
        progress.Started("world ghost set", 1, options.Count);
        for (int i = 0; i < options.Count; i++)
        {
            if (cancel.IsCancellationRequested) { progress.Message($"stopped after {i} item(s); the next run continues"); break; }
            var name = $"{i:D6}";
            string lq = Path.Combine(lqDir, name + ".png"), gt = Path.Combine(gtDir, name + ".png");
            if (done.TryGetValue(name, out var item) && File.Exists(lq) && File.Exists(gt)) manifest.Items.Add(item);
            else
            {
                var (scene, edits) = Draw(i, attributes);
                var truth = edits.Aggregate(scene, (s, e) => WorldAttributes.Find(e.Attribute).Flip(s));
                using var scope = NewDisposeScope();
                var input = _world.Render(scene, models.ImageSize).ToTensor();
                using var result = _method.Run(input, edits);
                ImageWriter.SavePng(RgbImage.FromTensor(result.Coarse[0]), lq);
                ImageWriter.SavePng(_world.Render(truth, models.ImageSize), gt);
                var first = models.Direction(edits[0].Attribute);
                manifest.Items.Add(new GhostItem(name, $"world seed {options.WorldSeed} {scene.Split.ToString().ToLowerInvariant()} scene {i}",
                    string.Join(", ", edits.Select(e => $"{e.Attribute}={e.Strength:+0;-0}")), first.ClassIndex, edits[0].Strength,
                    edits[0].Strength * first.UnitStrength, result.DegenerateEdits[0].Count > 0));
                if (manifest.Items.Count % 50 == 0) manifest.Write(options.OutDir);
            }
            progress.Step(i + 1, options.Count, new Dictionary<string, double> { ["edits"] = manifest.Items[^1].Direction.Split(", ").Length });
        }
        manifest.Write(options.OutDir);
        return manifest;
    }

    /// <summary>Scene i (ood with the given share) and its one or two edits, each toward the attribute's other state.</summary>
    (SceneSpec Scene, List<AttributeEdit> Edits) Draw(int i, IReadOnlyList<WorldAttribute> attributes)
    {
        var split = StepRandom.Dotnet(options.Seed, i, SplitStream).NextDouble() < options.OodFraction ? WorldSplit.Ood : WorldSplit.Train;
        var scene = _world.Sample(options.WorldSeed, i, split);
        var random = StepRandom.Dotnet(options.Seed, i, AttributeStream);
        int count = attributes.Count > 1 && random.NextDouble() < options.SecondEditFraction ? 2 : 1;
        var chosen = attributes.OrderBy(_ => random.Next()).Take(count).ToList();
        return (scene, chosen.Select(a => new AttributeEdit(a.Name, a.Get(scene) ? -1 : +1)).ToList());
    }
}
