using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Pipeline.Editing.Bench;
using Pipeline.Editing.Method;
using TorchSharp;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline bench soak</c>: one worker stage's function run batch after batch with a garbage collection forced every
/// few milliseconds on a second thread (<see cref="StageSoak"/>). A freed Scalar or tensor kills the process, so the
/// batches run in child processes: after a crash a fresh child goes on with the batches left, and the last line counts
/// the batches done and the crashes.
/// </summary>
public static class BenchSoakCommand
{
    const string ChildOption = "--child";
    const string BatchLine = "soak-batch ";

    public static Command Create()
    {
        var stage = new Option<string>("--stage") { Description = "invert | diffcam | deghost", Required = true };
        var batches = new Option<int>("--batches") { Description = "batches to run", DefaultValueFactory = _ => 1000 };
        var batch = new Option<int>("--batch") { Description = "images per batch", DefaultValueFactory = _ => 2 };
        var models = new Option<DirectoryInfo>("--models") { Description = "model pack", DefaultValueFactory = _ => new DirectoryInfo(EditCommand.DefaultModels) };
        var gcMs = new Option<int>("--gc-interval-ms") { Description = "pause between the forced collections", DefaultValueFactory = _ => 2 };
        var threads = new Option<int>("--threads") { Description = "libtorch CPU threads", DefaultValueFactory = _ => 1 };
        var device = DeviceOption.Create();
        var child = new Option<bool>(ChildOption) { Description = "run the batches in this process (what each child does)", Hidden = true };
        var cmd = new Command("soak", "run one stage's batches under frequent forced garbage collections; counts batches done and crashes")
            { stage, batches, batch, models, gcMs, threads, device, child };
        cmd.SetAction(parse =>
        {
            var name = parse.GetValue(stage)!;
            int total = parse.GetValue(batches);
            if (!StageSoak.Stages.Contains(name) || total < 1 || parse.GetValue(batch) < 1 || parse.GetValue(gcMs) < 0)
            {
                Console.Error.WriteLine($"bench soak: --stage must be one of {string.Join(" | ", StageSoak.Stages)}, --batches and --batch at least 1, --gc-interval-ms at least 0");
                return ExitCodes.BadInput;
            }
            if (parse.GetValue(child))
            {
                torch.set_num_threads(parse.GetValue(threads));
                using var pack = EditModels.Load(parse.GetValue(models)!.FullName, DeviceOption.Read(parse, device));
                StageSoak.Run(pack, name, total, parse.GetValue(batch), parse.GetValue(gcMs), b => Console.WriteLine(BatchLine + b));
                return ExitCodes.Ok;
            }
            return Supervise(name, total, parse.Tokens.Select(t => t.Value).ToArray());
        });
        return cmd;
    }

    /// <summary>Runs children until <paramref name="total"/> batches are done; a child that dies is counted and replaced.</summary>
    static int Supervise(string stage, int total, string[] args)
    {
        int done = 0, crashes = 0;
        var clock = Stopwatch.StartNew();
        while (done < total)
        {
            int before = done;
            var (exitCode, completed) = RunChild(args, total - done, b =>
            {
                if ((before + b) % 50 == 0)
                    Console.Error.WriteLine($"[soak] {stage}: {before + b}/{total} batches, {(before + b) / clock.Elapsed.TotalSeconds:0.00} batches/s, {crashes} crashes");
            });
            done += completed;
            if (exitCode != 0)
            {
                crashes++;
                Console.Error.WriteLine($"[soak] {stage}: child exited with code {exitCode} after {completed} batches ({done} done in all)");
                if (completed == 0 && crashes > 3) break;   // it fails before its first batch: not a race
            }
        }
        Console.WriteLine($"soak {stage}: {done} batches done, {crashes} crashes, {done / clock.Elapsed.TotalSeconds:0.00} batches/s");
        return crashes == 0 && done == total ? ExitCodes.Ok : ExitCodes.Failed;
    }

    static (int ExitCode, int Completed) RunChild(string[] args, int batches, Action<int> progress)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (var a in WithBatches(args, batches).Append(ChildOption))   // the parse tokens include "bench soak"
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        int completed = 0;
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (!line.StartsWith(BatchLine, StringComparison.Ordinal)) continue;
            completed = int.Parse(line[BatchLine.Length..], CultureInfo.InvariantCulture);
            progress(completed);
        }
        process.WaitForExit();
        return (process.ExitCode, completed);
    }

    /// <summary>The parent's options with --batches set to what is left.</summary>
    static IEnumerable<string> WithBatches(string[] args, int batches)
    {
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--batches") { i++; continue; }
            yield return args[i];
        }
        yield return "--batches";
        yield return batches.ToString(CultureInfo.InvariantCulture);
    }
}
