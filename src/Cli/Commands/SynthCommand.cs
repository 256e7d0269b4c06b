using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Pipeline.Editing.Imaging;
using Pipeline.World;
using Pipeline.World.Dataset;
using Pipeline.World.Rendering;
using Pipeline.World.Scenes;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline synth --out DIR --split train|ood --count N</c>: writes the synthetic face world
/// (docs/synthetic-world.md); <c>pipeline synth sheet --out FILE</c>: its contact sheet.</summary>
public static class SynthCommand
{
    const int DefaultSize = 128;
    static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "output folder (resumable: complete scenes are kept)", Required = true };
        var split = new Option<string>("--split") { Description = "train (in-domain) or ood (occluders, edits, true masks)", DefaultValueFactory = _ => "train" };
        split.AcceptOnlyFromAmong("train", "ood");
        var count = new Option<int>("--count") { Description = "number of scenes", Required = true };
        var size = SizeOption();
        var seed = new Option<int>("--seed") { Description = "world seed", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "parallel renders", DefaultValueFactory = _ => Environment.ProcessorCount };
        var cmd = new Command("synth", "render the synthetic face world: images, labels, and for ood the true edits and change masks")
        {
            output, split, count, size, seed, threads,
        };
        cmd.SetAction(parse => Run(new DatasetRequest(parse.GetValue(output)!.FullName,
            parse.GetValue(split) == "ood" ? WorldSplit.Ood : WorldSplit.Train,
            parse.GetValue(count), parse.GetValue(size), parse.GetValue(seed), parse.GetValue(threads))));
        cmd.Subcommands.Add(CreateSheet());
        return cmd;
    }

    static Option<int> SizeOption()
    {
        var size = new Option<int>("--size") { Description = $"image side in pixels (≥ {FaceRenderer.MinSize})", DefaultValueFactory = _ => DefaultSize };
        size.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < FaceRenderer.MinSize) r.AddError($"--size must be at least {FaceRenderer.MinSize}");
        });
        return size;
    }

    static Command CreateSheet()
    {
        var output = new Option<FileInfo>("--out") { Description = "PNG file to write", Required = true };
        var seed = new Option<int>("--seed") { Description = "world seed", DefaultValueFactory = _ => 0 };
        var cell = new Option<int>("--cell") { Description = "pixels per image", DefaultValueFactory = _ => 96 };
        var rows = new Option<int>("--train-rows") { Description = "rows of train scenes", DefaultValueFactory = _ => 2 };
        var ood = new Option<int>("--ood-scenes") { Description = "ood scenes, each with its flips and masks", DefaultValueFactory = _ => 4 };
        var cmd = new Command("sheet", "write a contact sheet: train scenes, ood scenes with every flip and its true change mask")
        {
            output, seed, cell, rows, ood,
        };
        cmd.SetAction(parse =>
        {
            try
            {
                var sheet = Pipeline.World.ContactSheet.Build(new SyntheticWorld(), parse.GetValue(seed), parse.GetValue(rows), parse.GetValue(ood), parse.GetValue(cell));
                ImageWriter.SavePng(sheet, parse.GetValue(output)!.FullName);
                return ExitCodes.Ok;
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"synth sheet: {e.Message}");
                return ExitCodes.BadInput;
            }
        });
        return cmd;
    }

    public static int Run(DatasetRequest request, TextWriter? log = null)
    {
        var err = log ?? Console.Error;
        var clock = Stopwatch.StartNew();
        var gate = new object();
        var last = TimeSpan.Zero;
        try
        {
            var summary = new DatasetWriter(new SyntheticWorld()).Write(request, (done, rendered) =>
            {
                lock (gate)
                {
                    if (clock.Elapsed - last < ProgressEvery && done < request.Count) return;
                    last = clock.Elapsed;
                    err.WriteLine(Progress(done, rendered, request.Count, clock.Elapsed));
                }
            });
            err.WriteLine(string.Format(CultureInfo.InvariantCulture, "synth: {0} rendered, {1} already there, {2:0.0} s, {3:0.0} images/s -> {4}",
                summary.Rendered, summary.Skipped, summary.Elapsed.TotalSeconds, summary.Rendered / Math.Max(summary.Elapsed.TotalSeconds, 1e-9), request.OutputDirectory));
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            err.WriteLine($"synth: {e.Message}");
            return ExitCodes.BadInput;
        }
    }

    static string Progress(int done, int rendered, int total, TimeSpan elapsed)
    {
        double rate = rendered / Math.Max(elapsed.TotalSeconds, 1e-9);
        var eta = rate > 0 ? TimeSpan.FromSeconds((total - done) / rate) : TimeSpan.Zero;
        return string.Format(CultureInfo.InvariantCulture, "synth {0}/{1}  {2:0.0} images/s  ETA {3:hh\\:mm\\:ss}", done, total, rate, eta);
    }
}
