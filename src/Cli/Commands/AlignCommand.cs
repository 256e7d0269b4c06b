using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Cli.Engines;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Outputs;
using Pipeline.Faces;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline align --input DIR --out DIR [--size N] [--json FILE] [--landmarks FILE]</c>: every face of every photo
/// found, given dlib's 68 landmarks and aligned as the FFHQ recipe aligns, written as <c>&lt;name&gt;_face&lt;k&gt;.png</c>
/// (largest face first); a photo without a usable face gets its one-line reason and the rest go on. Exit 0 when every
/// photo had a face, 3 when some did not, 2 on bad arguments or missing models.
/// </summary>
public static class AlignCommand
{
    /// <summary>One photo in the --json file: its faces in source pixels, or the reason it has none.</summary>
    public sealed record AlignedItem(string File, IReadOnlyList<FaceRecord> Faces, string? Error,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Notes = null);

    public sealed record AlignReport(IReadOnlyList<AlignedItem> Items);

    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "a photo or a folder of photos", Required = true };
        var output = new Option<string>("--out") { Description = "folder for the aligned faces (<name>_face<k>.png)", Required = true };
        var size = new Option<int>("--size") { Description = "aligned face size in pixels (the models' size: 1024 for the official files, 64 for the demo pack)", DefaultValueFactory = _ => 1024 };
        var json = new Option<FileInfo?>("--json") { Description = "also write boxes, landmarks and quads of every face as JSON" };
        var faces = new FaceArguments();
        var cmd = new Command("align", "find the faces of photos and align each as FFHQ was aligned (dlib's 68 landmarks, the FFHQ quad)") { input, output, size, json };
        faces.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            try
            {
                if (parse.GetValue(size) < 8) throw new ArgumentException("--size must be at least 8");
                var options = faces.Read(parse);
                return Run(parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(size), parse.GetValue(json)?.FullName, options);
            }
            catch (Exception e) when (e is ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
            {
                Console.Error.WriteLine($"align: {e.Message}");
                return ExitCodes.BadInput;
            }
        });
        return cmd;
    }

    public static int Run(string input, string outDir, int size, string? jsonPath, FaceOptions options)
    {
        if (!File.Exists(input) && !Directory.Exists(input)) throw new DirectoryNotFoundException($"input not found: {input}");
        var files = FolderEditRunner.ListFolder(input, [], null);
        if (files.Count == 0) throw new ArgumentException($"{input} is empty");
        using var handle = FaceModels.CreateFinder(options);
        Directory.CreateDirectory(outDir);
        var items = new List<AlignedItem>();
        var n = 0;
        foreach (var file in files)
        {
            n++;
            var name = Path.GetFileName(file.Path);
            try
            {
                if (file.Refusal is { } refusal) throw new ImageDecodeException(name, refusal);
                var photo = ImageReader.Read(file.Path);
                var aligned = PhotoAlignment.Align(photo, handle.Finder, size, name);
                for (var k = 0; k < aligned.Aligned.Count; k++)
                    ImageWriter.SavePng(aligned.Aligned[k].Image, Path.Combine(outDir, $"{file.Name}_face{k}.png"));
                var record = aligned.ToRecord();
                items.Add(new AlignedItem(name, record.Faces, null, record.Notes.Count > 0 ? record.Notes : null));
                Console.Error.WriteLine($"[{n}/{files.Count}] {name}: {aligned.Faces.Count} face(s)" + string.Concat(aligned.Notes.Select(x => $"; {x}")));
            }
            catch (ImageDecodeException e)
            {
                items.Add(new AlignedItem(name, [], e.Reason));
                Console.Error.WriteLine($"[{n}/{files.Count}] FAILED {e.Message}");
            }
        }
        if (jsonPath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(jsonPath))!);
            File.WriteAllText(jsonPath, JsonSerializer.Serialize(new AlignReport(items), Json) + "\n");
        }
        var failed = items.Count(i => i.Error is not null);
        Console.Error.WriteLine($"aligned {items.Sum(i => i.Faces.Count)} face(s) of {items.Count - failed} photo(s); {failed} without a usable face; faces in {Path.GetFullPath(outDir)}");
        return failed == 0 ? ExitCodes.Ok : ExitCodes.PartialFailure;
    }
}
