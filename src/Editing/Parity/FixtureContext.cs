using System.Text.Json.Nodes;
using Pipeline.Editing.Checkpoints;
using static TorchSharp.torch;

namespace Pipeline.Editing.Parity;

/// <summary>A fixture folder with the tree's formula and tolerances, and the results reported so far.</summary>
public sealed class FixtureContext : IDisposable
{
    readonly Dictionary<string, StateDict> _files = new(StringComparer.Ordinal);
    readonly JsonObject _inputIds;
    readonly JsonObject _tolerance;

    public FixtureContext(string dir, FormulaConstants formula, JsonObject formulaJson, JsonObject tolerancesJson)
    {
        Dir = dir;
        Name = Path.GetFileName(Path.GetFullPath(dir).TrimEnd(Path.DirectorySeparatorChar));
        Formula = formula;
        _inputIds = formulaJson["input_ids"]?.AsObject() ?? new JsonObject();
        RunConfig = formulaJson["run_configs"]?[Name]?.AsObject() ?? new JsonObject();
        FormulaJson = formulaJson;
        _tolerance = tolerancesJson[Name]?.AsObject() ?? new JsonObject();
    }

    public string Dir { get; }
    public string Name { get; }
    public FormulaConstants Formula { get; }
    public JsonObject FormulaJson { get; }

    /// <summary>The configuration this folder was produced with (<c>run_configs.&lt;folder&gt;</c> of formula.json).</summary>
    public JsonObject RunConfig { get; }

    public List<ParityResult> Results { get; } = new();

    public int ConfigInt(string key, int fallback) => RunConfig[key] is JsonNode n ? n.GetValue<int>() : fallback;
    public double ConfigDouble(string key, double fallback) => RunConfig[key] is JsonNode n ? n.GetValue<double>() : fallback;
    public string? ConfigString(string key) => RunConfig[key]?.GetValue<string>();
    public bool ConfigBool(string key, bool fallback) => RunConfig[key] is JsonNode n ? n.GetValue<bool>() : fallback;

    public bool HasFile(string stem) => System.IO.File.Exists(Path.Combine(Dir, stem + ".safetensors"));

    /// <summary>A safetensors file of the folder by stem (<c>inputs</c>, <c>outputs</c>, <c>batch2</c>…), read once.</summary>
    public StateDict File(string stem)
    {
        if (!_files.TryGetValue(stem, out var sd))
        {
            sd = SafeTensorsFile.Read(Path.Combine(Dir, stem + ".safetensors"));
            // The cache outlives the fixture that first reads a file (several fixtures share a folder), so its tensors
            // must not belong to that fixture's dispose scope; the context disposes them.
            foreach (var (_, t) in sd) t.DetachFromDisposeScope();
            _files[stem] = sd;
        }
        return sd;
    }

    /// <summary>The stem of every safetensors file in the folder.</summary>
    public IEnumerable<string> FileStems() =>
        Directory.EnumerateFiles(Dir, "*.safetensors").Select(Path.GetFileNameWithoutExtension).OrderBy(s => s, StringComparer.Ordinal)!;

    /// <summary>A formula input by its id in formula.json (<c>gen.z</c>, <c>pipe.origin_1024</c>, …).</summary>
    public Tensor Input(string id, params long[] shape)
    {
        var node = _inputIds[id] ?? throw new InvalidDataException($"formula.json has no input id '{id}'");
        return FormulaWeights.Input(Formula, node["k"]!.GetValue<long>(), shape,
            node["A"]?.GetValue<double>() ?? 1.0, node["C"]?.GetValue<double>() ?? 0.0);
    }

    /// <summary>A formula input kept in float64 (no float32 cast), for inputs the reference processes in double first.</summary>
    public Tensor InputFloat64(string id, params long[] shape)
    {
        var node = _inputIds[id] ?? throw new InvalidDataException($"formula.json has no input id '{id}'");
        var rule = new FormulaRule("input", node["C"]?.GetValue<double>() ?? 0.0, node["A"]?.GetValue<double>() ?? 1.0);
        long n = shape.Aggregate(1L, (a, b) => a * b);
        return tensor(FormulaWeights.ValuesFloat64(Formula, node["k"]!.GetValue<long>(), n, rule), shape);
    }

    public double Tolerance(string tensorName)
    {
        if (_tolerance["tensors"]?[tensorName] is JsonNode t) return t.GetValue<double>();
        return _tolerance["default_rel"]?.GetValue<double>() ?? 1e-4;
    }

    /// <summary>
    /// Compares a port tensor with the stored reference <paramref name="name"/> (bare for outputs, <c>stem/tensor</c>
    /// otherwise): passes when max|port − ref| ≤ rel · max|ref|.
    /// </summary>
    public void Compare(string name, Tensor port)
    {
        var (stem, tensorName) = SplitName(name);
        var reference = File(stem)[tensorName];
        Compare(name, port, reference);
    }

    public void Compare(string name, Tensor port, Tensor reference)
    {
        using var scope = NewDisposeScope();
        double tol = Tolerance(name);
        if (!port.shape.SequenceEqual(reference.shape))
        {
            Results.Add(new ParityResult(Name, name, double.NaN, double.NaN, tol, false,
                $"shape {DTypes.ShapeText(port.shape)} vs reference {DTypes.ShapeText(reference.shape)}"));
            return;
        }
        var p = port.detach().cpu().to_type(ScalarType.Float64);
        var r = reference.cpu().to_type(ScalarType.Float64);
        double maxAbs = (p - r).abs().max().item<double>();
        double maxRef = r.abs().max().item<double>();
        double rel = maxRef > 0 ? maxAbs / maxRef : (maxAbs == 0 ? 0 : double.PositiveInfinity);
        bool pass = !double.IsNaN(maxAbs) && maxAbs <= tol * maxRef;
        Results.Add(new ParityResult(Name, name, maxAbs, rel, tol, pass, null));
    }

    /// <summary>Records a failure that is not a tensor comparison (exception, missing file, unknown folder).</summary>
    public void Fail(string what, string reason) => Results.Add(new ParityResult(Name, what, double.NaN, double.NaN, 0, false, reason));

    /// <summary>Records an exact check (e.g. loaded key names) as pass/fail.</summary>
    public void Check(string what, bool ok, string? detail = null) => Results.Add(new ParityResult(Name, what, ok ? 0 : double.NaN, ok ? 0 : double.NaN, 0, ok, ok ? null : detail));

    internal static (string Stem, string Tensor) SplitName(string name)
    {
        int slash = name.IndexOf('/');
        return slash < 0 ? ("outputs", name) : (name[..slash], name[(slash + 1)..]);
    }

    public void Dispose()
    {
        foreach (var f in _files.Values) f.Dispose();
        _files.Clear();
    }
}

public sealed record ParityResult(string Folder, string Tensor, double MaxAbs, double MaxRel, double Tolerance, bool Pass, string? Detail);
