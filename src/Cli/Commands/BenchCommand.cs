using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Pipeline.Editing.Bench;
using TorchSharp;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline bench …</c>: speed and memory measurements, reported as tables (never as timed tests).</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var cmd = new Command("bench", "measure speed and memory");
        cmd.Subcommands.Add(Networks());
        cmd.Subcommands.Add(Method());
        cmd.Subcommands.Add(Optimisations());
        cmd.Subcommands.Add(BenchFidCommand.Create());
        cmd.Subcommands.Add(BenchBatchCommand.Create());
        cmd.Subcommands.Add(BenchAlignCommand.Create());
        cmd.Subcommands.Add(BenchSoakCommand.Create());
        cmd.Subcommands.Add(BenchDevicesCommand.Create());
        cmd.Subcommands.Add(Distributed.BenchCoordinatorCommand.Create());
        cmd.Subcommands.Add(Distributed.BenchPipelineCommand.Create());
        cmd.Subcommands.Add(Distributed.BenchFaultsCommand.Create());
        return cmd;
    }

    static Command Method()
    {
        var threads = new Option<int>("--threads") { Description = "libtorch CPU threads", DefaultValueFactory = _ => 2 };
        var runs = new Option<int>("--runs") { Description = "timed single-edit runs (median reported)", DefaultValueFactory = _ => 2 };
        var markdown = new Option<FileInfo?>("--markdown") { Description = "also write the tables as Markdown to this file" };
        var device = DeviceOption.Create();
        var cmd = new Command("method", "per-stage time of the whole method at the official configuration (formula weights), and the saving of one inversion for 4 edits")
        {
            threads, runs, markdown, device,
        };
        cmd.SetAction(parse =>
        {
            int t = parse.GetValue(threads);
            torch.set_num_threads(t);
            var on = DeviceOption.Read(parse, device);
            Console.Error.WriteLine($"[bench] building the official networks with formula weights on {on.Name} …");
            var (models, image) = Pipeline.Editing.Bench.OfficialMethodCase.Create(on);
            using var _m = models;
            using var _i = image;
            var method = new Pipeline.Editing.Method.EditMethod(models, new Pipeline.Editing.Method.MethodOptions());
            var attrs = Pipeline.Editing.Bench.OfficialMethodCase.Attributes;
            var one = new[] { new Pipeline.Editing.Method.AttributeEdit(attrs[0], 1) };
            Console.Error.WriteLine("[bench] warm-up run …");
            method.Run(image, one).Dispose();

            var stageRuns = new List<IReadOnlyDictionary<string, double>>();
            var totals = new List<double>();
            for (int r = 0; r < parse.GetValue(runs); r++)
            {
                var sw = System.Diagnostics.Stopwatch.StartNew();
                using var res = method.Run(image, one);
                totals.Add(sw.Elapsed.TotalMilliseconds);
                stageRuns.Add(res.StageMilliseconds);
                Console.Error.WriteLine($"[bench] single edit run {r + 1}: {totals[^1]:0} ms");
            }
            var four = attrs.Select(a => new Pipeline.Editing.Method.AttributeEdit(a, 1)).ToArray();
            var swSep = System.Diagnostics.Stopwatch.StartNew();
            foreach (var e in four) method.Run(image, new[] { e }).Dispose();
            double separate = swSep.Elapsed.TotalMilliseconds;
            Console.Error.WriteLine($"[bench] 4 separate runs: {separate:0} ms");
            var swShared = System.Diagnostics.Stopwatch.StartNew();
            foreach (var r in method.RunEach(image, four)) r.Dispose();
            double shared = swShared.Elapsed.TotalMilliseconds;
            Console.Error.WriteLine($"[bench] one inversion, 4 edits: {shared:0} ms");

            var ci = CultureInfo.InvariantCulture;
            var sb = new System.Text.StringBuilder();
            sb.AppendLine(ci, $"Machine: {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription.Trim()}, libtorch threads {t}, device {on.Name}; one 1024² image (CPU in and out of every stage); formula weights; stored noise; closed-form Diff-CAM");
            sb.AppendLine();
            sb.AppendLine("| stage | ms (median) |");
            sb.AppendLine("|---|---:|");
            foreach (var stage in stageRuns[0].Keys)
                sb.AppendLine(string.Format(ci, "| {0} | {1:0} |", stage, Timing.Median(stageRuns.Select(s => s[stage]))));
            sb.AppendLine(string.Format(ci, "| **total** | **{0:0}** |", Timing.Median(totals)));
            sb.AppendLine();
            sb.AppendLine("| 4 single-attribute edits of one image | ms | ratio |");
            sb.AppendLine("|---|---:|---:|");
            sb.AppendLine(string.Format(ci, "| 4 separate runs (4 inversions) | {0:0} | 1.00 |", separate));
            sb.AppendLine(string.Format(ci, "| one inversion reused | {0:0} | {1:0.00} |", shared, shared / separate));
            sb.AppendLine();
            sb.AppendLine(string.Format(ci, "Peak resident memory: {0:0} MB", Pipeline.Editing.Bench.ProcessMemory.PeakResidentBytes() / 1048576.0));
            Console.WriteLine(sb.ToString());
            if (parse.GetValue(markdown) is { } file) File.WriteAllText(file.FullName, sb.ToString());
            return ExitCodes.Ok;
        });
        return cmd;
    }

    static Command Optimisations()
    {
        var threads = new Option<int>("--threads") { Description = "libtorch CPU threads", DefaultValueFactory = _ => 2 };
        var runs = new Option<int>("--runs") { Description = "timed runs of each side (median reported; baseline and optimised alternate)", DefaultValueFactory = _ => 3 };
        var only = new Option<string[]>("--only") { Description = "optimisations to run: " + string.Join(", ", OptimisationBenchmark.Names), AllowMultipleArgumentsPerToken = true };
        var markdown = new Option<FileInfo?>("--markdown") { Description = "also write the table as Markdown to this file" };
        var cmd = new Command("optimisations", "each optimisation of the method against the behaviour it replaces, in one process (official configurations, formula weights)")
        {
            threads, runs, only, markdown,
        };
        cmd.SetAction(parse =>
        {
            int t = parse.GetValue(threads);
            torch.set_num_threads(t);
            var names = parse.GetValue(only) is { Length: > 0 } o ? o : OptimisationBenchmark.Names.ToArray();
            var load = SystemLoad.Read();
            var results = new List<OptimisationResult>();
            foreach (var name in names)
            {
                Console.Error.WriteLine($"[bench] {name}: building the official networks with formula weights …");
                results.Add(OptimisationBenchmark.Measure(name, parse.GetValue(runs), m => Console.Error.WriteLine($"[bench] {name}: {m}")));
            }
            var table = OptimisationTable(results, t, load, SystemLoad.Read());
            Console.WriteLine(table);
            if (parse.GetValue(markdown) is { } file) File.WriteAllText(file.FullName, table);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    static string OptimisationTable(IReadOnlyList<OptimisationResult> results, int threads, string loadBefore, string loadAfter)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new System.Text.StringBuilder();
        sb.AppendLine(ci, $"Machine: {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription.Trim()}, libtorch threads {threads}, .NET {Environment.Version}; " +
            $"load average (1/5/15 min) {loadBefore} at the start, {loadAfter} at the end; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        sb.AppendLine();
        sb.AppendLine("| optimisation | baseline | baseline ms (CPU ms) | optimised | optimised ms (CPU ms) | optimised / baseline, wall | optimised / baseline, CPU | runs | check |");
        sb.AppendLine("|---|---|---:|---|---:|---:|---:|---:|---|");
        foreach (var r in results)
            sb.AppendLine(string.Format(ci, "| {0} | {1} | {2:0} ({3:0}) | {4} | {5:0} ({6:0}) | {7:0.00} | {8:0.00} | {9} | {10} |",
                r.Name, r.Baseline, r.BaselineTime.WallMs, r.BaselineTime.CpuMs, r.Optimised, r.OptimisedTime.WallMs, r.OptimisedTime.CpuMs, r.Ratio, r.CpuRatio, r.Runs, r.Check));
        return sb.ToString();
    }


    static Command Networks()
    {
        var threads = new Option<int>("--threads") { Description = "libtorch CPU threads", DefaultValueFactory = _ => 2 };
        var runs = new Option<int>("--runs") { Description = "timed runs per network (median reported)", DefaultValueFactory = _ => 5 };
        var memory = new Option<int>("--memory-iterations") { Description = "iterations for the resident-memory check (RSS after 5 vs after N)", DefaultValueFactory = _ => 50 };
        var only = new Option<string[]>("--only") { Description = "networks to run: " + string.Join(", ", OfficialNetworkCases.Names), AllowMultipleArgumentsPerToken = true };
        var markdown = new Option<FileInfo?>("--markdown") { Description = "also write the table as Markdown to this file" };
        var cmd = new Command("networks", "ms per image, GFLOP/s and memory growth of the official configurations (formula weights, inference mode)")
        {
            threads, runs, memory, only, markdown,
        };
        cmd.SetAction(parse =>
        {
            torch.set_num_threads(parse.GetValue(threads));
            var names = parse.GetValue(only) is { Length: > 0 } o ? o : OfficialNetworkCases.Names.ToArray();
            var results = new List<NetworkResult>();
            foreach (var name in names)
            {
                Console.Error.WriteLine($"[bench] building {name} …");
                using var c = OfficialNetworkCases.Create(name);
                results.Add(NetworkBenchmark.Measure(c, parse.GetValue(runs), parse.GetValue(memory), m => Console.Error.WriteLine($"[bench] {m}")));
            }
            var table = Table(results, parse.GetValue(threads));
            Console.WriteLine(table);
            if (parse.GetValue(markdown) is { } file) File.WriteAllText(file.FullName, table);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    static string Table(IReadOnlyList<NetworkResult> results, int threads)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new System.Text.StringBuilder();
        sb.AppendLine(ci, $"Machine: {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription.Trim()}, libtorch threads {threads}, .NET {Environment.Version}");
        sb.AppendLine();
        sb.AppendLine("| network | what | ms / image (median) | min ms | GFLOP / image | GFLOP/s | RSS after 5 (MB) | RSS after N (MB) | N | growth |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
            sb.AppendLine(string.Format(ci, "| {0} | {1} | {2:0} | {3:0} | {4:0.0} | {5:0.0} | {6:0} | {7:0} | {8} | {9:+0.0;-0.0;0.0}% |",
                r.Name, r.Description, r.MedianMs, r.MinMs, r.Gflop, r.GflopPerSecond, r.RssAfterWarmupBytes / 1048576.0, r.RssAfterAllBytes / 1048576.0, r.MemoryIterations, Math.Round(r.RssGrowthPercent, 1) + 0.0));   // a growth that rounds to zero prints as 0.0, not -+0.0
        return sb.ToString();
    }
}
