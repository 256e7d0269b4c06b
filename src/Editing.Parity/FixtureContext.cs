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

    /// <summary>
    /// The stem of every safetensors file in the folder and its sub-folders, relative and with '/' separators
    /// (<c>outputs</c>, <c>alex/outputs</c>), so that a folder with one sub-folder per variant is checked in full.
    /// </summary>
    public IEnumerable<string> FileStems() =>
        Directory.EnumerateFiles(Dir, "*.safetensors", SearchOption.AllDirectories)
            .Select(f => Path.ChangeExtension(Path.GetRelativePath(Dir, f), null)!.Replace(Path.DirectorySeparatorChar, '/'))
            .OrderBy(s => s, StringComparer.Ordinal);

    /// <summary>This folder's section of tolerances.json, for fixtures whose tolerances are not per tensor.</summary>
    public JsonObject ToleranceSection => _tolerance;

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

    public double Tolerance(string tensorName) => AcceptanceFor(tensorName).Value;

    /// <summary>
    /// The tolerance of a tensor: exact names first (<c>tensors_abs</c>, <c>tensors_rel</c>, <c>tensors</c>), then
    /// '*' wildcards in those maps, then <c>default_abs</c>, then <c>default_rel</c> (1e-4 when the folder says nothing).
    /// <c>*_abs</c> bound max|port − ref|; the others bound it relative to max|ref|.
    /// </summary>
    public Acceptance AcceptanceFor(string tensorName)
    {
        (string Key, bool Absolute)[] maps = [("tensors_abs", true), ("tensors_rel", false), ("tensors", false)];
        foreach (var (key, absolute) in maps)
            if (_tolerance[key]?[tensorName] is JsonNode exact) return new Acceptance(exact.GetValue<double>(), absolute);
        foreach (var (key, absolute) in maps)
            if (_tolerance[key] is JsonObject map)
                foreach (var (pattern, value) in map)
                    if (pattern.Contains('*') && WildcardMatches(pattern, tensorName)) return new Acceptance(value!.GetValue<double>(), absolute);
        if (_tolerance["default_abs"] is JsonNode abs) return new Acceptance(abs.GetValue<double>(), true);
        return new Acceptance(_tolerance["default_rel"]?.GetValue<double>() ?? 1e-4, false);
    }

    static bool WildcardMatches(string pattern, string name) =>
        System.Text.RegularExpressions.Regex.IsMatch(name, "^" + string.Join(".*", pattern.Split('*').Select(System.Text.RegularExpressions.Regex.Escape)) + "$");

    /// <summary>
    /// Compares a port tensor with the stored reference <paramref name="name"/> (bare for outputs, <c>stem/tensor</c>
    /// otherwise, where the stem may name a sub-folder: <c>alex/outputs/pairs64.dist</c>) under the tensor's tolerance.
    /// </summary>
    public void Compare(string name, Tensor port)
    {
        var (stem, tensorName) = Split(name);
        var reference = File(stem)[tensorName];
        Compare(name, port, reference);
    }

    public void Compare(string name, Tensor port, Tensor reference) => Compare(name, port, reference, AcceptanceFor(name));

    /// <summary>Passes when max|port − ref| ≤ <paramref name="tolerance"/>.</summary>
    public void CompareAbs(string name, Tensor port, Tensor reference, double tolerance) => Compare(name, port, reference, new Acceptance(tolerance, true));

    /// <summary>Passes when max|port − ref| ≤ <paramref name="tolerance"/> · max|ref|.</summary>
    public void CompareRel(string name, Tensor port, Tensor reference, double tolerance) => Compare(name, port, reference, new Acceptance(tolerance, false));

    /// <summary>The stored reference named like <see cref="Compare(string, Tensor)"/> does.</summary>
    public Tensor Reference(string name)
    {
        var (stem, tensorName) = Split(name);
        return File(stem)[tensorName];
    }

    /// <summary>Whether the stored reference exists (its file and the tensor in it).</summary>
    public bool HasReference(string name)
    {
        var (stem, tensorName) = Split(name);
        return HasFile(stem) && File(stem).ContainsKey(tensorName);
    }

    public void Compare(string name, Tensor port, Tensor reference, Acceptance acceptance)
    {
        using var scope = NewDisposeScope();
        double tol = acceptance.Value;
        if (!port.shape.SequenceEqual(reference.shape))
        {
            Results.Add(new ParityResult(Name, name, double.NaN, double.NaN, tol, false,
                $"shape {DTypes.ShapeText(port.shape)} vs reference {DTypes.ShapeText(reference.shape)}", acceptance.Absolute));
            return;
        }
        var p = port.detach().cpu().to_type(ScalarType.Float64);
        var r = reference.cpu().to_type(ScalarType.Float64);
        double maxAbs = p.numel() == 0 ? 0 : (p - r).abs().max().item<double>();
        double maxRef = r.numel() == 0 ? 0 : r.abs().max().item<double>();
        double rel = maxRef > 0 ? maxAbs / maxRef : (maxAbs == 0 ? 0 : double.PositiveInfinity);
        bool pass = !double.IsNaN(maxAbs) && maxAbs <= (acceptance.Absolute ? tol : tol * maxRef);
        Results.Add(new ParityResult(Name, name, maxAbs, rel, tol, pass, null, acceptance.Absolute));
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

    /// <summary>Like <see cref="SplitName"/>, but the stem is the longest '/'-prefix that names a file of this folder.</summary>
    (string Stem, string Tensor) Split(string name)
    {
        for (int slash = name.LastIndexOf('/'); slash > 0; slash = name.LastIndexOf('/', slash - 1))
            if (HasFile(name[..slash])) return (name[..slash], name[(slash + 1)..]);
        return SplitName(name);
    }

    public void Dispose()
    {
        foreach (var f in _files.Values) f.Dispose();
        _files.Clear();
    }
}

/// <summary>A tolerance and whether it bounds the absolute difference (else the difference relative to max|ref|).</summary>
public readonly record struct Acceptance(double Value, bool Absolute);

/// <summary>One check; <paramref name="AbsoluteTolerance"/> tells how <paramref name="Tolerance"/> applies.</summary>
public sealed record ParityResult(string Folder, string Tensor, double MaxAbs, double MaxRel, double Tolerance, bool Pass, string? Detail, bool AbsoluteTolerance = false);
