using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Editing.Runtime;
using Pipeline.Editing.Training;
using Pipeline.Faces;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline directions fit</c>: a direction for any attribute a person labels. The labelled images go through the
/// pack's inversion (its encoder, or projection when it has none), aligned first with <c>--align</c>; InterFaceGAN's
/// linear boundary is fitted on the codes (<see cref="DirectionFit"/>) and written as <c>NAME.npy</c>, a row of
/// <c>directions.json</c> (<see cref="DirectionList"/>) and <c>NAME.fit.json</c>. Written into the pack's
/// <c>directions/</c> folder, the direction is one <c>--edit NAME=1</c> away.
/// </summary>
public static partial class DirectionsFitCommand
{
    public static Command Create()
    {
        var models = new Option<string>("--models") { Description = "model pack folder", Required = true };
        var images = new Option<string>("--images") { Description = "folder of the labelled images (the label file's names are relative to it)", Required = true };
        var labels = new Option<string>("--labels") { Description = "CSV of file,label (label 0 or 1; header optional)", Required = true };
        var attribute = new Option<string>("--attribute") { Description = "name of the direction (letters, digits, _ and -)", Required = true };
        var output = new Option<string>("--out") { Description = "folder for NAME.npy, directions.json and NAME.fit.json (the pack's directions/ folder makes edit use it)", Required = true };
        var align = new Option<bool>("--align") { Description = "photos of any size: find the largest face and align it as FFHQ was aligned before inverting (docs/faces.md)" };
        var space = new Option<string>("--space") { Description = "fit on the W+ code (wplus) or on W, the mean of its rows (w, a 1×D direction)", DefaultValueFactory = _ => "wplus" };
        space.AcceptOnlyFromAmong("wplus", "w");
        var vector = new Option<string>("--vector") { Description = "the boundary's normal (normal, InterFaceGAN) or the normal in standardised units mapped back (spread)", DefaultValueFactory = _ => "normal" };
        vector.AcceptOnlyFromAmong("normal", "spread");
        var seed = new Option<int>("--seed") { Description = "seed of the held-out split", DefaultValueFactory = _ => 0 };
        var holdout = new Option<double>("--holdout") { Description = "share of each class held out to score the boundary", DefaultValueFactory = _ => 0.2 };
        var batch = new Option<int>("--batch") { Description = "images inverted at once", DefaultValueFactory = _ => 16 };
        var device = DeviceOption.Create();
        var faces = new FaceArguments();
        var cmd = new Command("fit", "fit a direction from labelled images: invert them, fit InterFaceGAN's linear boundary, write it for the pack")
        {
            models, images, labels, attribute, output, align, space, vector, seed, holdout, batch, device,
        };
        faces.AddTo(cmd);
        cmd.SetAction(p => InputGuard.Run("directions fit", () =>
        {
            var face = p.GetValue(align) ? faces.Read(p) : null;
            return Run(new Request(p.GetValue(models)!, p.GetValue(images)!, p.GetValue(labels)!, p.GetValue(attribute)!, p.GetValue(output)!,
                p.GetValue(space) == "w" ? LatentSpace.W : LatentSpace.WPlus, p.GetValue(vector) == "spread" ? BoundaryVector.Spread : BoundaryVector.Normal,
                p.GetValue(seed), p.GetValue(holdout), p.GetValue(batch), face, DeviceOption.Read(p, device)));
        }));
        return cmd;
    }

    public sealed record Request(string Models, string Images, string Labels, string Attribute, string Out, LatentSpace Space,
        BoundaryVector Vector, int Seed, double Holdout, int Batch = 16, FaceOptions? Align = null, ComputeDevice? Device = null);

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex SafeName();

    public static int Run(Request r)
    {
        var sw = Stopwatch.StartNew();
        if (!SafeName().IsMatch(r.Attribute)) throw new ArgumentException($"--attribute '{r.Attribute}': use letters, digits, _ and - only (it names the file)");
        if (r.Batch < 1) throw new ArgumentException($"--batch must be at least 1, got {r.Batch}");
        if (!Directory.Exists(r.Images)) throw new DirectoryNotFoundException($"image folder not found: {r.Images}");
        var labelled = AttributeLabels.Read(r.Labels);
        var missing = labelled.Where(l => !File.Exists(Path.Combine(r.Images, l.File))).ToList();
        if (missing.Count > 0)
            throw new FileNotFoundException($"{missing.Count} labelled image(s) not found in {r.Images}: " +
                string.Join(", ", missing.Take(10).Select(m => $"line {m.Line} '{m.File}'")) + (missing.Count > 10 ? ", …" : ""));
        AttributeLabels.CheckCounts(labelled.Select(l => l.Label).ToList(), r.Attribute);
        DirectionFit.HeldOut(labelled.Select(l => l.Label).ToList(), r.Holdout, r.Seed);   // a bad --holdout fails before the inversion

        using var models = EditModels.Load(r.Models, r.Device ?? ComputeDevice.Cpu, m => Console.Error.WriteLine("  " + m));
        var stage = new InvertStage(models, new MethodOptions());
        using var finder = r.Align is null ? null : FaceModels.CreateFinder(r.Align with { Detector = r.Align.Detector with { MaxFaces = 1 } });
        var (codes, kept) = Invert(r, labelled, models.ImageSize, stage, finder?.Finder);
        using var _codes = codes;
        var keptLabels = kept.Select(l => l.Label).ToList();
        AttributeLabels.CheckCounts(keptLabels, r.Attribute);

        using var fit = DirectionFit.Fit(codes, keptLabels, r.Space, r.Vector, r.Holdout, r.Seed);
        Directory.CreateDirectory(r.Out);
        var file = r.Attribute + ".npy";
        var sha = ModelPackWriter.SaveDirection(Path.Combine(r.Out, file), fit.Direction);
        DirectionList.Upsert(r.Out, new DirectionList.Row { Name = r.Attribute, File = file, UnitStrength = Math.Round(fit.UnitStrength, 6) });
        var record = new
        {
            command = TrainingResult.CommandLine(), attribute = r.Attribute, file, sha256 = sha,
            models = Path.GetFullPath(r.Models), inversion = stage.Method.ToString().ToLowerInvariant(), aligned = r.Align is not null,
            space = r.Space == LatentSpace.W ? "w" : "wplus", vector = r.Vector.ToString().ToLowerInvariant(), seed = r.Seed, holdout = r.Holdout,
            labelled = labelled.Count, used = kept.Count, label_1 = keptLabels.Count(l => l), label_0 = keptLabels.Count(l => !l),
            train_count = fit.TrainCount, heldout_count = fit.HeldOutCount,
            train_accuracy = Math.Round(fit.TrainAccuracy, 4), heldout_accuracy = double.IsNaN(fit.HeldOutAccuracy) ? (double?)null : Math.Round(fit.HeldOutAccuracy, 4),
            unit_strength = Math.Round(fit.UnitStrength, 6), normal_spread_cosine = Math.Round(fit.NormalSpreadCosine, 4),
            wall_seconds = Math.Round(sw.Elapsed.TotalSeconds, 1),
        };
        File.WriteAllText(Path.Combine(r.Out, r.Attribute + ".fit.json"), JsonSerializer.Serialize(record, ModelPackManifest.Json) + "\n");
        Console.Error.WriteLine($"{r.Attribute}: held-out boundary accuracy {(double.IsNaN(fit.HeldOutAccuracy) ? "n/a (--holdout 0)" : fit.HeldOutAccuracy.ToString("0.000"))} " +
            $"on {fit.HeldOutCount} image(s), train {fit.TrainAccuracy:0.000} on {fit.TrainCount}; unit strength {fit.UnitStrength:0.####} (class-mean distance)");
        Console.Error.WriteLine($"wrote {Path.Combine(r.Out, file)} and its row of {Path.Combine(r.Out, DirectionList.JsonFile)} in {sw.Elapsed.TotalSeconds:0.0} s; " +
            $"in a pack's {PackDirections.Folder}/ folder, `edit --edit {r.Attribute}=1` uses it (DiffCam has no class for it: `directions list` says which mask it gets)");
        return ExitCodes.Ok;
    }

    /// <summary>W+ codes [N,n,D] of the labelled images, in batches with a progress line; with <paramref name="finder"/>,
    /// a photo without a usable face is left out (said on stderr).</summary>
    static (Tensor Codes, List<LabelledFile> Kept) Invert(Request r, List<LabelledFile> labelled, int size, InvertStage stage, FaceFinder? finder)
    {
        var parts = new List<Tensor>();
        var kept = new List<LabelledFile>();
        var sw = Stopwatch.StartNew();
        try
        {
            for (int start = 0; start < labelled.Count; start += r.Batch)
            {
                using var scope = NewDisposeScope();
                var chunk = labelled.Skip(start).Take(r.Batch).ToList();
                var loaded = new List<Tensor>();
                foreach (var l in chunk)
                {
                    var x = Load(Path.Combine(r.Images, l.File), l, size, finder);
                    if (x is null) continue;
                    loaded.Add(x);
                    kept.Add(l);
                }
                if (loaded.Count > 0)
                {
                    using var _ = inference_mode();
                    parts.Add(stage.Latent(cat(loaded, 0)).OnCpu().detach().clone().DetachFromDisposeScope());
                }
                int done = Math.Min(start + r.Batch, labelled.Count);
                Console.Error.Write($"\r  inverted {done}/{labelled.Count} ({stage.Method.ToString().ToLowerInvariant()}, {done / Math.Max(sw.Elapsed.TotalSeconds, 1e-3):0.0} images/s)");
            }
            Console.Error.WriteLine();
            if (parts.Count == 0) throw new ArgumentException("no labelled image could be used");
            return (cat(parts, 0), kept);
        }
        finally
        {
            foreach (var p in parts) p.Dispose();
        }
    }

    /// <summary>One image as [1,3,size,size] in [−1,1]: square images are area-resized; with a finder, the largest face
    /// is aligned (null when there is none).</summary>
    static Tensor? Load(string path, LabelledFile l, int size, FaceFinder? finder)
    {
        RgbImage image;
        try
        {
            image = ImageReader.Read(path, ImageLimits.Default);
        }
        catch (ImageDecodeException e)
        {
            throw new InvalidDataException($"line {l.Line} '{l.File}': {e.Message}");
        }
        if (finder is not null)
        {
            try
            {
                var aligned = PhotoAlignment.Align(image, finder, size, l.File);
                return aligned.Aligned[0].Image.ToTensor();
            }
            catch (ImageDecodeException e)
            {
                Console.Error.WriteLine($"\n  line {l.Line} '{l.File}' left out: {e.Message}");
                return null;
            }
        }
        if (image.Width != image.Height)
            throw new ArgumentException($"line {l.Line} '{l.File}' is {image.Width}×{image.Height}, not square: crop it, or pass --align for photos");
        using var scope = NewDisposeScope();
        var x = image.ToTensor();
        if (image.Width != size) x = Composition.AreaDownsample(x, size);
        return x.MoveToOuterDisposeScope();
    }
}
