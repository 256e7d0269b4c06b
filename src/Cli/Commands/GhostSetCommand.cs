using System.CommandLine;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Editing.Training;
using Pipeline.World.Training;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline ghost-set --models PACK --input DIR --out DIR</c>: the deghosting training set (official gen_dataset.py):
/// lq/ = composites with the folded Diff-CAM mask, gt/ = the originals, ghost_set.json = which edit made each pair.
/// <c>--world SEED</c> instead of <c>--input</c>: scenes of the synthetic world, lq/ = the method's composite, gt/ = the
/// true edited scene (<see cref="WorldGhostSetBuilder"/>).
/// </summary>
public static class GhostSetCommand
{
    public static Command Create()
    {
        var models = new Option<string>("--models") { Description = "model pack folder (manifest.json) or official release folder", DefaultValueFactory = _ => EditCommand.DefaultModels };
        var input = new Option<string?>("--input") { Description = "folder of images at the pack's size (or use --resize/--crop)" };
        var world = new Option<int?>("--world") { Description = "instead of --input: this world seed's scenes, with the true edited scene as the target" };
        var oodFraction = new Option<double>("--ood-fraction") { Description = "with --world: share of ood scenes", DefaultValueFactory = _ => 0.6 };
        var secondEdit = new Option<double>("--second-edit-fraction") { Description = "with --world: share of items edited along two attributes", DefaultValueFactory = _ => 0.3 };
        var output = new Option<string>("--out") { Description = "ghost set folder (resumable: finished pairs are kept)", Required = true };
        var count = new Option<int?>("--count") { Description = "only the first N images (sorted by name)" };
        var seed = new Option<long>("--seed") { Description = "seed of the direction, α and noise draws (per image name)", DefaultValueFactory = _ => 0 };
        var alphaRange = new Option<string?>("--alpha-range") { Description = "draw α uniformly from LO,HI (default: each direction's unit strength, 20 officially)" };
        var directions = new Option<string?>("--directions") { Description = "directions to draw from, comma-separated (default: all)" };
        var resize = new Option<string?>("--resize") { Description = "resize inputs of another size: area | bicubic" };
        var crop = new Option<string?>("--crop") { Description = "crop inputs of another size: center" };
        var noise = new Option<TrainingNoise>("--noise") { Description = "generator noise: Fresh (from the seed, as the reference's random noise) | Stored", DefaultValueFactory = _ => TrainingNoise.Fresh };
        var threads = new Option<int>("--threads") { Description = "libtorch CPU threads (0 = all cores)", DefaultValueFactory = _ => 0 };
        var cmd = new Command("ghost-set", "build the deghosting training set: folded-mask composites (lq/) and originals (gt/)")
        {
            models, input, world, oodFraction, secondEdit, output, count, seed, alphaRange, directions, resize, crop, noise, threads,
        };
        cmd.SetAction(parse => TrainCommand.Guard("ghost-set", () =>
        {
            if (parse.GetValue(threads) > 0) TorchSharp.torch.set_num_threads(parse.GetValue(threads));
            if ((parse.GetValue(input) is null) == (parse.GetValue(world) is null))
                throw new ArgumentException("give either --input DIR (photos; the official recipe) or --world SEED (synthetic scenes with their true edits)");
            if (parse.GetValue(world) is { } worldSeed)
                return RunWorld(parse.GetValue(models)!, new WorldGhostSetOptions(parse.GetValue(output)!, worldSeed, parse.GetValue(count) ?? 1000,
                    parse.GetValue(seed), parse.GetValue(oodFraction), parse.GetValue(secondEdit)));
            var options = new GhostSetOptions
            {
                InputDir = parse.GetValue(input)!,
                OutDir = parse.GetValue(output)!,
                Count = parse.GetValue(count),
                Seed = parse.GetValue(seed),
                AlphaRange = TrainingArguments.Range(parse.GetValue(alphaRange)),
                Directions = TrainingArguments.List(parse.GetValue(directions)),
                Size = SizePolicy.Parse(parse.GetValue(resize), parse.GetValue(crop)),
                Noise = parse.GetValue(noise),
            };
            return Run(parse.GetValue(models)!, options);
        }));
        return cmd;
    }

    public static int RunWorld(string modelsDir, WorldGhostSetOptions options)
    {
        using var models = EditModels.Load(modelsDir, m => Console.Error.WriteLine("  " + m));
        using var cancel = new CommandCancellation();
        var manifest = TrainingProgressBar.Run(p => new WorldGhostSetBuilder(models, options).Run(p, cancel.Token));
        Console.Error.WriteLine($"{manifest.Items.Count} pair(s) in {Path.GetFullPath(options.OutDir)}");
        return ExitCodes.Ok;
    }

    public static int Run(string modelsDir, GhostSetOptions options)
    {
        using var models = EditModels.Load(modelsDir, m => Console.Error.WriteLine("  " + m));
        var builder = new GhostSetBuilder(models, options);
        using var cancel = new CommandCancellation();
        var manifest = TrainingProgressBar.Run(p => builder.Run(p, cancel.Token));
        int degenerate = manifest.Items.Count(i => i.DegenerateMask);
        Console.Error.WriteLine($"{manifest.Items.Count} pair(s) in {Path.GetFullPath(options.OutDir)}"
                                + (degenerate > 0 ? $" ({degenerate} with a constant Diff-CAM, i.e. lq = gt)" : ""));
        return ExitCodes.Ok;
    }
}
