using System.Reflection;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Pipeline.Editing.Parity;

/// <summary>
/// Runs every fixture folder of a tree against the port. A folder no fixture knows is a failure, not a skip, and every
/// tensor stored outside <c>inputs.safetensors</c> must be compared, so a fixture cannot pass by checking less.
/// </summary>
public sealed class ParityRunner
{
    readonly Dictionary<string, List<IParityFixture>> _fixtures;

    /// <summary>Several fixtures may share a folder (e.g. a chained-input check beside the folder's own network).</summary>
    public ParityRunner(IEnumerable<IParityFixture>? fixtures = null)
    {
        _fixtures = (fixtures ?? Discover())
            .GroupBy(f => f.Folder, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(f => f.GetType().Name, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
    }

    public IReadOnlyCollection<string> KnownFolders => _fixtures.Keys;

    public static IEnumerable<IParityFixture> Discover() =>
        typeof(IParityFixture).Assembly.GetTypes()
            .Where(t => typeof(IParityFixture).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IParityFixture)Activator.CreateInstance(t)!);

    /// <summary>Runs the tree at <paramref name="root"/>; <paramref name="report"/> receives each result as it is known.</summary>
    /// <summary>
    /// The fixtures ran on 2 CPU threads; oneDNN splits reductions by thread count, and amplified outputs such as
    /// da_module/feat_delta (a small difference of large maps) see that rounding, so parity runs with the same count.
    /// </summary>
    public const int FixtureThreads = 2;

    public List<ParityResult> Run(string root, Action<ParityResult> report, IEnumerable<string>? onlyFolders = null)
    {
        int previousThreads = TorchSharp.torch.get_num_threads();
        TorchSharp.torch.set_num_threads(FixtureThreads);
        try { return RunAll(root, report, onlyFolders); }
        finally { TorchSharp.torch.set_num_threads(previousThreads); }
    }

    List<ParityResult> RunAll(string root, Action<ParityResult> report, IEnumerable<string>? onlyFolders)
    {
        var formulaJson = ReadJson(Path.Combine(root, "formula.json"));
        var tolerancesJson = ReadJson(Path.Combine(root, formulaJson["tolerances_file"]?.GetValue<string>() ?? "tolerances.json"));
        var constants = new FormulaConstants(formulaJson["a"]!.GetValue<double>(), formulaJson["b"]!.GetValue<double>(), formulaJson["c"]!.GetValue<double>());
        var only = onlyFolders?.ToHashSet(StringComparer.Ordinal);
        var all = new List<ParityResult>();
        foreach (var dir in Directory.EnumerateDirectories(root).OrderBy(d => d, StringComparer.Ordinal))
        {
            var name = Path.GetFileName(dir);
            if (only is not null && !only.Contains(name)) continue;
            using var ctx = new FixtureContext(dir, constants, formulaJson, tolerancesJson);
            int reported = 0;
            void Flush() { for (; reported < ctx.Results.Count; reported++) { report(ctx.Results[reported]); all.Add(ctx.Results[reported]); } }
            if (!_fixtures.TryGetValue(name, out var fixtures))
            {
                ctx.Fail(name, "unknown fixture folder: no parity check handles it");
                Flush();
                continue;
            }
            foreach (var fixture in fixtures)
            {
                try
                {
                    using (NewDisposeScope()) fixture.Run(ctx);
                }
                catch (Exception e)
                {
                    ctx.Fail(name, $"{fixture.GetType().Name}: {e.GetType().Name}: {e.Message}");
                }
                Flush();
                GC.Collect();
            }
            RequireEverythingCompared(ctx);
            Flush();
        }
        return all;
    }

    static void RequireEverythingCompared(FixtureContext ctx)
    {
        var compared = ctx.Results.Select(r => r.Tensor).ToHashSet(StringComparer.Ordinal);
        foreach (var stem in ctx.FileStems())
        {
            if (stem == "inputs" || stem.EndsWith("/inputs", StringComparison.Ordinal)) continue;
            foreach (var key in ctx.File(stem).Keys)
            {
                var name = stem == "outputs" ? key : $"{stem}/{key}";
                if (!compared.Contains(name)) ctx.Fail(name, "stored tensor was not compared by the port");
            }
        }
    }

    static JsonObject ReadJson(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"fixture tree file missing: {path}");
        return JsonNode.Parse(File.ReadAllText(path))!.AsObject();
    }
}
