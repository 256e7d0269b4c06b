using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Pipeline.Editing.Bench;
using Pipeline.Editing.Imaging;
using Pipeline.Faces;
using Pipeline.Faces.Benchmarks;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline bench align --photo FILE</c>: detection, landmarks and alignment of one photo at about 1 and 12 MP, and
/// paste-back, on one core (the process is pinned to one CPU and OpenCV to one thread), with the load average before
/// and after. The target is at most 0.5 s per 12 MP photo for everything around the edit.
/// </summary>
public static class BenchAlignCommand
{
    public const double TargetMs12Mp = 500;

    public static Command Create()
    {
        var photo = new Option<FileInfo>("--photo") { Description = "a photo with a face (e.g. skimage's astronaut.png)", Required = true };
        var size = new Option<int>("--size") { Description = "aligned face size", DefaultValueFactory = _ => 1024 };
        var runs = new Option<int>("--runs") { Description = "timed runs per step (median reported)", DefaultValueFactory = _ => 5 };
        var markdown = new Option<FileInfo?>("--markdown") { Description = "also write the table as Markdown to this file" };
        var faces = new FaceArguments();
        var cmd = new Command("align", "time detection, landmarks, alignment and paste-back per photo at 1 and 12 MP on one core") { photo, size, runs, markdown };
        faces.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            try
            {
                if (parse.GetValue(runs) < 1) throw new ArgumentException("--runs must be at least 1");
                var options = faces.Read(parse);
                var image = ImageReader.Read(parse.GetValue(photo)!.FullName);
                PinToOneCore();
                var load = SystemLoad.Read();
                var results = AlignmentBenchmark.Run(image, options, parse.GetValue(size), parse.GetValue(runs), Path.GetTempPath(),
                    m => Console.Error.WriteLine($"[bench] {m}"));
                var table = Table(results, parse.GetValue(size), parse.GetValue(runs), load, SystemLoad.Read());
                Console.WriteLine(table);
                if (parse.GetValue(markdown) is { } file) File.WriteAllText(file.FullName, table);
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is ArgumentException or FileNotFoundException or InvalidDataException or ImageDecodeException)
            {
                Console.Error.WriteLine($"bench align: {e.Message}");
                return ExitCodes.BadInput;
            }
        });
        return cmd;
    }

    /// <summary>One CPU for the process, one thread for OpenCV: the per-core cost the target is stated in.</summary>
    static void PinToOneCore()
    {
        OpenCvSharp.Cv2.SetNumThreads(1);
        if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows())
            Process.GetCurrentProcess().ProcessorAffinity = 1;
    }

    static string Table(IReadOnlyList<AlignmentTiming> rows, int size, int runs, string loadBefore, string loadAfter)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new System.Text.StringBuilder();
        sb.AppendLine(ci, $"Machine: {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}; " +
                          $"pinned to one core; aligned size {size}²; median of {runs} runs; load average {loadBefore} before, {loadAfter} after");
        sb.AppendLine();
        sb.AppendLine("Each cell: wall ms / CPU ms of the process (the wall time also counts waits for the core on a busy machine).");
        sb.AppendLine();
        sb.AppendLine("| photo | pixels | face box | decode PNG | detect | landmarks | align | paste back | path (detect…paste) |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        static string Cell(Pipeline.Editing.Bench.Timing.Result t) => string.Format(CultureInfo.InvariantCulture, "{0:0.#} / {1:0.#}", t.MedianMs, t.MedianCpuMs);
        foreach (var r in rows)
            sb.AppendLine(ci, $"| {r.Case} | {r.Width}×{r.Height} | {r.FaceWidth} px | {Cell(r.Decode)} | {Cell(r.Detect)} | {Cell(r.Landmarks)} | " +
                              $"{Cell(r.Align)} | {Cell(r.Paste)} | **{r.PathMs:0} / {r.PathCpuMs:0}** |");
        var twelve = rows.Single(r => r.Case == "12 MP");
        sb.AppendLine();
        sb.AppendLine(ci, $"12 MP path: {twelve.PathMs:0} ms wall, {twelve.PathCpuMs:0} ms CPU, against the {TargetMs12Mp:0} ms target " +
                          $"({(twelve.PathCpuMs <= TargetMs12Mp ? "met" : "missed")} in CPU time; {(twelve.PathMs <= TargetMs12Mp ? "met" : "missed")} in wall time).");
        return sb.ToString();
    }
}
