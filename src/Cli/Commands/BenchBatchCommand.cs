using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Pipeline.Editing.Bench;
using Pipeline.Editing.Method;
using TorchSharp;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline bench batch</c>: ms per image and images/s of each stage at batch 1, 2, 4, 8, for the official
/// configurations (formula weights) and a model pack (the demo pack by default), with the peak resident memory per point.
/// </summary>
public static class BenchBatchCommand
{
    public const string Official = "official";
    const double BytesPerGb = 1 << 30;

    public static Command Create()
    {
        var threads = new Option<int>("--threads") { Description = "libtorch CPU threads", DefaultValueFactory = _ => 2 };
        var runs = new Option<int>("--runs") { Description = "timed runs per point (median reported)", DefaultValueFactory = _ => 3 };
        var warmup = new Option<int>("--warmup") { Description = "untimed runs per point before timing", DefaultValueFactory = _ => 1 };
        var batches = new Option<string>("--batches") { Description = "comma-separated batch sizes", DefaultValueFactory = _ => "1,2,4,8" };
        var only = new Option<string[]>("--only") { Description = "stages to run: " + string.Join(", ", BatchSweep.StageNames), AllowMultipleArgumentsPerToken = true };
        var configs = new Option<string[]>("--configs") { Description = "official (formula weights) and/or pack (the --models pack)", AllowMultipleArgumentsPerToken = true };
        var models = new Option<string>("--models") { Description = "model pack for the 'pack' configuration", DefaultValueFactory = _ => EditCommand.DefaultModels };
        var maxMemory = new Option<double>("--max-memory-gb") { Description = "skip a point whose projected peak resident memory exceeds this", DefaultValueFactory = _ => 16 };
        var warmupFirst = new Option<bool>("--warmup-first-batch-only") { Description = "warm up before each stage's smallest batch only (larger batches reuse the warm process)" };
        var maxBatch = new Option<string[]>("--max-batch") { Description = "STAGE=N: skip that stage's batches above N (time budget), e.g. deghost=2", AllowMultipleArgumentsPerToken = true };
        var markdown = new Option<FileInfo?>("--markdown") { Description = "also write the table as Markdown to this file" };
        var device = DeviceOption.Create();
        var cmd = new Command("batch", "per-stage ms per image and images/s against the batch size (official configurations and a model pack)")
        {
            threads, runs, warmup, warmupFirst, batches, only, configs, models, maxMemory, maxBatch, markdown, device,
        };
        cmd.SetAction(parse =>
        {
            try
            {
                int t = parse.GetValue(threads);
                torch.set_num_threads(t);
                var on = DeviceOption.Read(parse, device);
                var options = new BatchSweepOptions
                {
                    Batches = parse.GetValue(batches)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList(),
                    Stages = parse.GetValue(only) is { Length: > 0 } o ? o : BatchSweep.StageNames,
                    Runs = parse.GetValue(runs),
                    Warmup = parse.GetValue(warmup),
                    MaxMemoryBytes = (long)(parse.GetValue(maxMemory) * BytesPerGb),
                    WarmupFirstBatchOnly = parse.GetValue(warmupFirst),
                    MaxBatchPerStage = (parse.GetValue(maxBatch) ?? []).Select(ParseStageLimit).ToDictionary(x => x.Stage, x => x.Max),
                };
                var which = parse.GetValue(configs) is { Length: > 0 } c ? c : [Official, "pack"];
                var rows = new List<BatchSweepRow>();
                foreach (var config in which)
                {
                    if (config == Official)
                    {
                        Console.Error.WriteLine("[bench] building the official networks with formula weights …");
                        var (official, image) = OfficialMethodCase.Create(on);
                        image.Dispose();
                        using (official)
                            rows.AddRange(BatchSweep.Run(Official, official, options, m => Console.Error.WriteLine($"[bench] {m}")));
                    }
                    else if (config == "pack")
                    {
                        using var pack = EditModels.Load(parse.GetValue(models)!, on);
                        rows.AddRange(BatchSweep.Run(pack.Manifest.Name, pack, options, m => Console.Error.WriteLine($"[bench] {m}")));
                    }
                    else throw new ArgumentException($"unknown configuration '{config}' (official | pack)");
                    GC.Collect(); GC.WaitForPendingFinalizers();
                }
                var table = Table(rows, t, options, on.Name);
                Console.WriteLine(table);
                if (parse.GetValue(markdown) is { } file) File.WriteAllText(file.FullName, table);
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
            {
                Console.Error.WriteLine($"bench batch: {e.Message}");
                return ExitCodes.BadInput;
            }
        });
        return cmd;
    }

    static (string Stage, int Max) ParseStageLimit(string text)
    {
        var parts = text.Split('=', 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !BatchSweep.StageNames.Contains(parts[0]) || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out int max) || max < 1)
            throw new ArgumentException($"--max-batch '{text}': expected STAGE=N with STAGE one of {string.Join(", ", BatchSweep.StageNames)} and N ≥ 1");
        return (parts[0], max);
    }

    public static string Table(IReadOnlyList<BatchSweepRow> rows, int threads, BatchSweepOptions options, string device = "cpu")
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new System.Text.StringBuilder();
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ').Take(3) : ["?"];
        sb.AppendLine(ci, $"Machine: {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription.Trim()}, libtorch threads {threads}, device {device}, .NET {Environment.Version}; inference mode; median of {options.Runs} run(s) after {options.Warmup} warm-up(s){(options.WarmupFirstBatchOnly ? " at each stage's first batch" : " per point")}; load average at the end {string.Join(" / ", load)}");
        sb.AppendLine();
        sb.AppendLine("| config | stage | batch | ms / batch (median) | ms / image | images/s | speed-up vs batch 1 | CPU ms / image | peak RSS (MB) |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            if (r.Skipped)
            {
                sb.AppendLine(ci, $"| {r.Config} | {r.Stage} | {r.Batch} | skipped: {r.SkipReason} | | | | | |");
                continue;
            }
            var one = rows.FirstOrDefault(x => x.Config == r.Config && x.Stage == r.Stage && x.Batch == 1 && !x.Skipped);
            var speedUp = one is null ? "" : (one.MsPerImage / r.MsPerImage).ToString("0.00", ci);
            sb.AppendLine(string.Format(ci, "| {0} | {1} | {2} | {3:0.0} | {4:0.0} | {5:0.00} | {6} | {7:0.0} | {8:0} |",
                r.Config, r.Stage, r.Batch, r.MedianMs, r.MsPerImage, r.ImagesPerSecond, speedUp, r.CpuMsPerImage, r.PeakRssBytes / 1048576.0));
        }
        return sb.ToString();
    }
}
