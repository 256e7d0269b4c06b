using System.CommandLine;
using System.Globalization;
using Pipeline.Editing.Parity;
using Pipeline.Hosting;
using TorchSharp;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline parity --fixtures DIR</c>: compares the port with the official implementation's outputs.</summary>
public static class ParityCommand
{
    /// <summary>The repository's tree of the official networks' outputs (tests/fixtures/README.md).</summary>
    public static string DefaultFixtures => RepositoryRoot.PathOf("tests", "fixtures", "parity");

    public static Command Create()
    {
        var fixtures = new Option<DirectoryInfo>("--fixtures")
        {
            Description = "fixture tree (formula.json, tolerances.json, one folder per check); default: the repository's tests/fixtures/parity",
            DefaultValueFactory = _ => new DirectoryInfo(DefaultFixtures),
        };
        var only = new Option<string[]>("--only") { Description = "run only these folders", AllowMultipleArgumentsPerToken = true };
        var threads = new Option<int>("--threads") { Description = "CPU threads for libtorch (0 = libtorch default)", DefaultValueFactory = _ => 0 };
        var cmd = new Command("parity", "run the network parity fixtures and print one line per tensor") { fixtures, only, threads };
        cmd.SetAction(parse => Run(parse.GetValue(fixtures)!, parse.GetValue(only), parse.GetValue(threads)));
        return cmd;
    }

    public static int Run(DirectoryInfo root, string[]? only, int threads, TextWriter? output = null)
    {
        var o = output ?? Console.Out;
        if (!root.Exists)
        {
            Console.Error.WriteLine($"parity: fixture folder not found: {root.FullName}");
            return ExitCodes.BadInput;
        }
        // Before any convolution: the fixtures were produced with oneDNN's AVX2 kernels (see OneDnnIsa).
        OneDnnIsa.Limit();
        if (threads > 0) torch.set_num_threads(threads);
        int passed = 0, failed = 0;
        var runner = new ParityRunner();
        try
        {
            runner.Run(root.FullName, r =>
            {
                if (r.Pass) passed++; else failed++;
                o.WriteLine(Format(r));
                o.Flush();
            }, only is { Length: > 0 } ? only : null);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or System.Text.Json.JsonException)
        {
            o.WriteLine($"FAIL  {root.Name}: {e.Message}");
            failed++;
        }
        o.WriteLine($"parity: {passed} passed, {failed} failed");
        return failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }

    static string Format(ParityResult r)
    {
        var ci = CultureInfo.InvariantCulture;
        var verdict = r.Pass ? "PASS" : "FAIL";
        var line = string.Format(ci, "{0,-4}  {1}/{2}  max_abs={3:0.###e+00}  max_rel={4:0.###e+00}  {5}={6:0.###e+00}",
            verdict, r.Folder, r.Tensor, r.MaxAbs, r.MaxRel, r.AbsoluteTolerance ? "tol_abs" : "tol", r.Tolerance);
        return r.Detail is null ? line : line + "  (" + r.Detail + ")";
    }
}
