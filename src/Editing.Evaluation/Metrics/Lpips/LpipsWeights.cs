using System.Text.RegularExpressions;
using Pipeline.Editing.Checkpoints;

namespace Pipeline.Editing.Metrics.Lpips;

/// <summary>
/// Loads the two weight files LPIPS needs: the released v0.1 linear layers (<c>alex.pth</c>/<c>vgg.pth</c> from the
/// LPIPS repository, or a safetensors copy; keys <c>lin0.model.1.weight</c>…) and the ImageNet backbone (torchvision's
/// <c>alexnet-owt-*.pth</c> / <c>vgg16-*.pth</c> with <c>features.N.*</c> keys, or LPIPS' own <c>net.sliceK.N.*</c> names).
/// Both are read through <see cref="CheckpointReader"/>: no pickle code runs.
/// </summary>
public static partial class LpipsWeights
{
    static readonly string[] WeightExtensions = [".pth", ".pt", ".safetensors"];

    /// <summary>Builds LPIPS for <paramref name="net"/> from a folder holding both files (see docs/metrics.md).</summary>
    public static Lpips FromDirectory(string dir, LpipsNet net)
    {
        var linear = FindLinear(dir, net) ?? throw new FileNotFoundException(
            $"{dir} has no LPIPS v0.1 linear weights for '{net.FileName()}' ({net.FileName()}.pth or {net.FileName()}.safetensors from the LPIPS release)");
        var backbone = FindBackbone(dir, net) ?? throw new FileNotFoundException(
            $"{dir} has no ImageNet backbone for '{net.FileName()}' (torchvision's {BackbonePrefix(net)}-*.pth, e.g. {(net == LpipsNet.Alex ? "alexnet-owt-7be5be79.pth" : "vgg16-397923af.pth")})");
        var lpips = new Lpips(net);
        try
        {
            LoadBackbone(lpips, backbone);
            LoadLinear(lpips, linear);
            lpips.eval();
            return lpips;
        }
        catch
        {
            lpips.Dispose();
            throw;
        }
    }

    public static string? FindLinear(string dir, LpipsNet net) =>
        WeightExtensions.Select(e => Path.Combine(dir, net.FileName() + e)).FirstOrDefault(File.Exists);

    public static string? FindBackbone(string dir, LpipsNet net) =>
        Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir)
                .Where(f => Path.GetFileName(f).StartsWith(BackbonePrefix(net), StringComparison.OrdinalIgnoreCase)
                    && WeightExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .OrderBy(f => f, StringComparer.Ordinal).FirstOrDefault()
            : null;

    static string BackbonePrefix(LpipsNet net) => net == LpipsNet.Alex ? "alexnet" : "vgg16";

    /// <summary>Loads <c>lin{l}.model.1.weight</c> strictly into the five linear layers.</summary>
    public static void LoadLinear(Lpips lpips, string path)
    {
        using var checkpoint = CheckpointReader.Read(path);
        LoadLinear(lpips, checkpoint.StateDict, path);
    }

    public static void LoadLinear(Lpips lpips, StateDict weights, string source)
    {
        var stray = weights.Keys.Where(k => !LinearKey().IsMatch(k)).ToList();
        if (stray.Count > 0) throw new StateDictMismatchException(source, [], stray, []);
        foreach (var (name, module) in lpips.named_children().Where(c => c.name.StartsWith("lin", StringComparison.Ordinal)))
            ModuleState.LoadStrict(module, weights.WithPrefix(name + "."), $"{source} ({name})");
    }

    /// <summary>Loads a torchvision <c>features</c> state (the classifier is ignored) or an LPIPS <c>net.*</c> state.</summary>
    public static void LoadBackbone(Lpips lpips, string path)
    {
        using var checkpoint = CheckpointReader.Read(path);
        var mapped = new StateDict();
        foreach (var (name, t) in checkpoint.StateDict)
        {
            var m = FeatureKey().Match(name);
            if (m.Success)
            {
                int index = int.Parse(m.Groups["i"].Value, System.Globalization.CultureInfo.InvariantCulture);
                mapped.Add($"{lpips.Backbone.KeyOf(index)}.{m.Groups["p"].Value}", t);
            }
            else if (name.StartsWith("net.", StringComparison.Ordinal)) mapped.Add(name["net.".Length..], t);
            else if (name.StartsWith("slice", StringComparison.Ordinal)) mapped.Add(name, t);
            else if (!name.StartsWith("classifier.", StringComparison.Ordinal) && !name.StartsWith("lin", StringComparison.Ordinal)
                     && !name.StartsWith("scaling_layer.", StringComparison.Ordinal))
                throw new StateDictMismatchException(path, [], [name], []);
        }
        ModuleState.LoadStrict(lpips.Backbone, mapped, path);
    }

    [GeneratedRegex(@"^lin[0-4]\.model\.1\.weight$")]
    private static partial Regex LinearKey();

    [GeneratedRegex(@"^features\.(?<i>\d+)\.(?<p>weight|bias)$")]
    private static partial Regex FeatureKey();
}
