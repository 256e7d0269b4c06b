using System.CommandLine;
using System.Globalization;
using Pipeline.Editing.Bench;
using Pipeline.Editing.Runtime;
using TorchSharp;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline bench devices --models DIR --device cuda</c>: every stage's outputs on the CPU and on the device
/// from the same inputs, as a table of max-abs and PSNR against stated bounds; exit 0 when every output is within them,
/// 3 when one is not. <c>--device cpu</c> compares the CPU with itself (0 difference: the check of the check).</summary>
public static class BenchDevicesCommand
{
    public static Command Create()
    {
        var models = new Option<string>("--models") { Description = "model pack folder", DefaultValueFactory = _ => EditCommand.DefaultModels };
        var device = DeviceOption.Create();
        var batch = new Option<int>("--batch") { Description = "images per batch", DefaultValueFactory = _ => 2 };
        var seed = new Option<ulong>("--seed") { Description = "seed of the random input images", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "libtorch CPU threads (0 = all cores)", DefaultValueFactory = _ => 0 };
        var markdown = new Option<FileInfo?>("--markdown") { Description = "also write the table as Markdown to this file" };
        var cmd = new Command("devices", "every stage's outputs on the CPU and on --device from the same inputs (max-abs, PSNR, bounds)")
        {
            models, device, batch, seed, threads, markdown,
        };
        cmd.SetAction(parse =>
        {
            try
            {
                var on = DeviceOption.Read(parse, device);
                if (parse.GetValue(threads) > 0) torch.set_num_threads(parse.GetValue(threads));
                var rows = DeviceComparison.Run(parse.GetValue(models)!, ComputeDevice.Cpu, on, Math.Max(1, parse.GetValue(batch)), parse.GetValue(seed),
                    m => Console.Error.WriteLine($"[bench] {m}"));
                var table = Table(rows, on);
                Console.WriteLine(table);
                if (parse.GetValue(markdown) is { } file) File.WriteAllText(file.FullName, table);
                return rows.All(r => r.Passed) ? ExitCodes.Ok : ExitCodes.PartialFailure;
            }
            catch (Exception e) when (e is ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
            {
                Console.Error.WriteLine($"bench devices: {e.Message}");
                return ExitCodes.BadInput;
            }
        });
        return cmd;
    }

    static string Table(IReadOnlyList<DeviceDifference> rows, ComputeDevice device)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new System.Text.StringBuilder();
        sb.AppendLine(ci, $"cpu against {device.Name} (libtorch build: {ComputeDevice.LibTorchBackend}); {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        sb.AppendLine();
        sb.AppendLine("| stage | output | max abs | PSNR (dB) | bound | result |");
        sb.AppendLine("|---|---|---:|---:|---|---|");
        foreach (var r in rows)
        {
            var bound = double.IsPositiveInfinity(r.MaxAbsBound) ? string.Format(ci, "PSNR ≥ {0:0}", r.PsnrBound) : string.Format(ci, "max abs ≤ {0:g3}", r.MaxAbsBound);
            var psnr = double.IsPositiveInfinity(r.Psnr) ? "∞" : r.Psnr.ToString("0.0", ci);
            sb.AppendLine(string.Format(ci, "| {0} | {1} | {2:g3} | {3} | {4} | {5} |", r.Stage, r.Output, r.MaxAbs, psnr, bound, r.Passed ? "ok" : "OUTSIDE"));
        }
        return sb.ToString();
    }
}
