using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.StyleGan2;
using Pipeline.Editing.Runtime;
using Pipeline.Editing.Training;
using Pipeline.World.Training;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline directions components</c>: GANSpace-style directions without labels — the principal components of
/// sampled W+ codes over a layer range, written as direction files (Frobenius-normalised <c>.npy</c>, unit strength one
/// σ) with a <c>directions.json</c> list, their explained variance in <c>components.json</c>, and a contact sheet of
/// each component at −2…+2 σ on a few seeded base codes so that a person can name them. Codes come from the pack's
/// mapping network (z ~ N(0, I)), or, for a pack with a factor map (the demo prior, whose mapping network is untrained),
/// from <c>w = A·f + b</c> of world scenes.
/// </summary>
public static class DirectionsComponentsCommand
{
    public const string ComponentsFile = "components.json";
    public const string SheetFile = "components.png";
    static readonly double[] SheetSigmas = { -2, -1, 0, 1, 2 };

    public static Command Create()
    {
        var models = new Option<string>("--models") { Description = "model pack folder", DefaultValueFactory = _ => EditCommand.DefaultModels };
        var count = new Option<int>("--count") { Description = "components to keep", Required = true };
        var output = new Option<string>("--out") { Description = "output folder (directions/*.npy, directions.json, components.json, components.png)", Required = true };
        var samples = new Option<int>("--samples") { Description = "sampled codes the PCA is fitted on", DefaultValueFactory = _ => 10000 };
        var layers = new Option<string?>("--layers") { Description = "W+ rows START-END (0-based, inclusive) the components are fitted on and edit (default: all)" };
        var seed = new Option<int>("--seed") { Description = "seed of the sampled codes and of the contact sheet's base codes", DefaultValueFactory = _ => 0 };
        var bases = new Option<int>("--bases") { Description = "base codes per component on the contact sheet", DefaultValueFactory = _ => 2 };
        var mask = new Option<string>("--mask") { Description = "the manifest 'mask' of the components (the DA module knows none of them): agnostic | nearest | a trained direction's name", DefaultValueFactory = _ => DirectionMask.Agnostic };
        var threads = new Option<int>("--threads") { Description = "libtorch CPU threads (0 = all cores)", DefaultValueFactory = _ => 0 };
        var cmd = new Command("components", "principal components of sampled W+ codes (GANSpace) as direction files, with their explained variance and a contact sheet")
        {
            models, count, output, samples, layers, seed, bases, mask, threads,
        };
        cmd.SetAction(p => TrainCommand.Guard("directions components", () =>
        {
            if (p.GetValue(threads) > 0) set_num_threads(p.GetValue(threads));
            return Run(p.GetValue(models)!, p.GetValue(count), p.GetValue(output)!, p.GetValue(samples), p.GetValue(layers), p.GetValue(seed), p.GetValue(bases), p.GetValue(mask)!);
        }));
        return cmd;
    }

    public static int Run(string modelsDir, int count, string outDir, int samples, string? layerText, int seed, int bases, string mask)
    {
        if (samples < 2) throw new ArgumentException($"--samples must be at least 2, got {samples}");
        if (bases < 1) throw new ArgumentException($"--bases must be at least 1, got {bases}");
        var sw = Stopwatch.StartNew();
        using var models = EditModels.Load(modelsDir);
        if (mask != DirectionMask.Agnostic && mask != DirectionMask.Nearest && !models.Directions.ContainsKey(mask))
            throw new ArgumentException($"--mask must be agnostic, nearest or one of the pack's directions ({string.Join(", ", models.Directions.Keys)}), got '{mask}'");
        using var _ = inference_mode();
        var (codes, baseCodes, source) = Sample(models, samples, seed, bases);
        using var _codes = codes;
        using var _bases = baseCodes;
        var range = LayerRange.Parse(layerText, (int)codes.shape[1]);
        Console.Error.WriteLine($"directions components: PCA of rows {range} of {samples} codes ({source})");
        var components = ComponentDirections.Fit(codes, range, count);
        try
        {
            Directory.CreateDirectory(Path.Combine(outDir, "directions"));
            var entries = new List<DirectionEntry>();
            foreach (var c in components)
            {
                var file = $"directions/{c.Name}.npy";
                ModelPackWriter.SaveDirection(Path.Combine(outDir, file), c.Direction);
                entries.Add(new DirectionEntry { Name = c.Name, File = file, Normalization = DirectionNormalization.Frobenius, UnitStrength = c.Sigma, Mask = mask });
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {c.Name}: {c.ExplainedVarianceRatio:P1} of the variance, σ {c.Sigma:0.####}"));
            }
            File.WriteAllText(Path.Combine(outDir, TrainDirectionsCommand.EntriesFile), JsonSerializer.Serialize(entries, ModelPackManifest.Json));
            var described = new
            {
                source, samples, seed, layers = range.ToString(), unit_strength = "one standard deviation of the codes along the component",
                components = components.Select(c => new { name = c.Name, variance = c.Variance, sigma = c.Sigma, explained_variance_ratio = c.ExplainedVarianceRatio }),
            };
            File.WriteAllText(Path.Combine(outDir, ComponentsFile), JsonSerializer.Serialize(described, ModelPackManifest.Json) + "\n");
            ImageWriter.SavePng(Sheet(models.Generator, baseCodes, components), Path.Combine(outDir, SheetFile));
            new TrainingResult
            {
                Command = TrainingResult.CommandLine(), Seed = seed, Steps = 0, Finished = true, WallSeconds = Math.Round(sw.Elapsed.TotalSeconds, 1),
                Metrics = components.ToDictionary(c => $"{c.Name}_explained_variance_ratio", c => Math.Round(c.ExplainedVarianceRatio, 4)),
                Config = JsonSerializer.SerializeToElement(described, ModelPackManifest.Json),
            }.Write(outDir);
        }
        finally
        {
            foreach (var c in components) c.Dispose();
        }
        Console.Error.WriteLine($"directions components: {count} in {sw.Elapsed.TotalSeconds:0.0} s -> {outDir} (contact sheet {SheetFile})");
        return ExitCodes.Ok;
    }

    /// <summary>The codes to fit [N,n,D] and the sheet's base codes [bases,n,D], drawn apart from each other.</summary>
    static (Tensor Codes, Tensor Bases, string Source) Sample(EditModels models, int samples, int seed, int bases)
    {
        if (models.Manifest.Files.FirstOrDefault(f => f.Role == PackCommand.FactorMapRole) is { } entry)
        {
            using var map = PriorNetworks.LoadFactorMap(Path.Combine(models.Directory, entry.File), EditModels.PspConfigOf(models.Manifest));
            return (FactorLatents.Sample(map, seed, 0, samples), FactorLatents.Sample(map, seed, samples, bases), FactorLatents.Description);
        }
        using var g = new Generator((ulong)seed);
        return (SampledLatentPrior.MappedCodes(models.Generator, samples, g), SampledLatentPrior.MappedCodes(models.Generator, bases, g),
            "z ~ N(0, I) through the generator's mapping network, W repeated over the W+ rows");
    }

    /// <summary>One row per component and base code, one column per strength (−2…+2 σ).</summary>
    static RgbImage Sheet(StyleGan2Generator generator, Tensor bases, IReadOnlyList<ComponentDirection> components)
    {
        var rows = new List<(string, IReadOnlyList<RgbImage>)>();
        foreach (var c in components)
            for (int b = 0; b < bases.shape[0]; b++)
            {
                using var scope = NewDisposeScope();
                var strengths = tensor(SheetSigmas.Select(s => (float)(s * c.Sigma)).ToArray()).view(-1, 1, 1);                  // [5,1,1]
                var steps = bases[b].unsqueeze(0).Plus(strengths * c.Direction.to_type(ScalarType.Float32).unsqueeze(0));          // [5,n,D]
                var images = generator.Generate(steps, new GenerateOptions { InputIsLatent = true }).Image.clamp(Scalars.MinusOne, Scalars.One);
                rows.Add((string.Create(CultureInfo.InvariantCulture, $"{c.Name} ({c.ExplainedVarianceRatio:P1}) base {b + 1}"),
                    Enumerable.Range(0, SheetSigmas.Length).Select(i => RgbImage.FromTensor(images[i])).ToList()));
            }
        return ContactSheet.Render(SheetSigmas.Select(s => s == 0 ? "base" : $"{s:+0;-0} σ").ToList(), rows, new ContactSheet.Options(TileSize: Math.Clamp(generator.Config.Size, 64, 128), FontSize: 12f));
    }
}
