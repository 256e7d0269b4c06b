using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Runtime;
using static TorchSharp.torch;

namespace Pipeline.Editing.Method;

/// <summary>
/// What <c>pipeline directions list</c> shows of one direction of a pack, read without loading a network: the stored
/// shape and Frobenius norm, the W+ rows it moves (rows of non-zero norm; a W direction moves all of them), its unit
/// strength, and the DiffCam class its mask comes from.
/// </summary>
public sealed record DirectionSummary(string Name, string File, string Shape, double Norm, string Layers, double UnitStrength, string Mask, string Origin)
{
    public static List<DirectionSummary> Of(string packDir)
    {
        var m = PackDirections.ManifestOf(packDir);
        int rows = EditModels.GeneratorConfigOf(m.GeneratorConfig).NLatent;
        var trained = m.Directions.Where(d => d.Mask is null && !d.ClassAssumed).GroupBy(d => d.ClassIndex).ToDictionary(g => g.Key, g => string.Join("/", g.Select(d => d.Name)));
        return m.Directions.Select(d =>
        {
            using var scope = NewDisposeScope();
            var raw = EditDirection.ReadFile(Path.Combine(packDir, d.File)).to_type(ScalarType.Float64);
            var shape = DTypes.ShapeText(raw.shape);
            var norm = raw.norm().item<double>();
            var matrix = raw.dim() == 1 ? raw.unsqueeze(0) : raw.dim() == 3 && raw.shape[0] == 1 ? raw[0] : raw;
            string layers;
            if (matrix.dim() != 2) layers = "? (not [n,D] or [1,D])";
            else if (matrix.shape[0] == 1) layers = $"all {rows} (W, applied to every row)";
            else
            {
                var touched = matrix.norm(1, keepdim: false).gt(Scalars.Zero).data<bool>().ToArray();
                var list = Enumerable.Range(0, touched.Length).Where(i => touched[i]).ToList();
                layers = list.Count == touched.Length ? $"all {touched.Length}" : $"{list.Count} of {touched.Length}: {string.Join(" ", list)}";
                if (matrix.shape[0] != rows) layers += $" (the generator has {rows}: edit refuses it)";
            }
            var owner = trained.GetValueOrDefault(d.ClassIndex);
            var mask = d.Mask is DirectionMask.Agnostic || (d.Mask is null && d.ClassAssumed)
                ? "none: class-agnostic (activation difference of the DA trunk)"
                : d.Mask is DirectionMask.Nearest ? "none: Diff-CAM of the nearest trained direction's class"
                : d.Mask is { } borrowed ? $"none: Diff-CAM of '{borrowed}''s class"
                : d.ClassIndex >= m.DiffCam.NumClass ? $"class {d.ClassIndex}: outside DiffCam's {m.DiffCam.NumClass} classes"
                : $"class {d.ClassIndex}{(owner is null || owner == d.Name ? "" : $" (trained on {owner})")}";
            return new DirectionSummary(d.Name, d.File, shape, norm, layers, d.UnitStrength, mask, d.Origin ?? ModelPackManifest.FileName);
        }).ToList();
    }
}
