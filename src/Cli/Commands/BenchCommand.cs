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
        cmd.Subcommands.Add(BenchFidCommand.Create());
        return cmd;
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
            sb.AppendLine(string.Format(ci, "| {0} | {1} | {2:0} | {3:0} | {4:0.0} | {5:0.0} | {6:0} | {7:0} | {8} | {9:+0.0;-0.0}% |",
                r.Name, r.Description, r.MedianMs, r.MinMs, r.Gflop, r.GflopPerSecond, r.RssAfterWarmupBytes / 1048576.0, r.RssAfterAllBytes / 1048576.0, r.MemoryIterations, r.RssGrowthPercent));
        return sb.ToString();
    }
}
