using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Method;

/// <summary>Everything the method produced for a batch, all at full size [B,…,S,S].</summary>
public sealed class EditBatchResult : IDisposable
{
    public required Tensor Inversion { get; init; }
    public required Tensor Latent { get; init; }
    /// <summary>T_1..T_r, one per edit, each applied on top of the previous ones.</summary>
    public required IReadOnlyList<Tensor> Edited { get; init; }
    public required IReadOnlyList<Tensor> StepMasks { get; init; }
    public required Tensor Mask { get; init; }
    public required Tensor Coarse { get; init; }
    public required Tensor Final { get; init; }
    /// <summary>Per sample: the edits whose Diff-CAM was constant (their step mask is zero).</summary>
    public required IReadOnlyList<IReadOnlyList<string>> DegenerateEdits { get; init; }
    public required IReadOnlyDictionary<string, double> StageMilliseconds { get; init; }

    public void Dispose()
    {
        Inversion.Dispose(); Latent.Dispose(); Mask.Dispose(); Coarse.Dispose(); Final.Dispose();
        foreach (var t in Edited) t.Dispose();
        foreach (var t in StepMasks) t.Dispose();
    }
}

/// <summary>
/// The method of the paper end to end on one batch of images sharing one list of edits: invert once, apply the edits
/// one after another (T_i = G(w + Σ_{j≤i} α_j n_j)), Diff-CAM per step and their element-wise max, compose T_r with the
/// input, deghost. The stages are the same objects the distributed workers call.
/// </summary>
public sealed class EditMethod(EditModels models, MethodOptions options)
{
    readonly InvertStage _invert = new(models, options);
    readonly DiffCamStage _diffCam = new(models.DiffCam, models.DiffCamInputSize, options);
    readonly DeghostStage _deghost = new(models.Deghost);

    public InvertStage Invert => _invert;
    public DiffCamStage DiffCam => _diffCam;
    public DeghostStage Deghost => _deghost;

    public EditBatchResult Run(Tensor images, IReadOnlyList<AttributeEdit> edits) => Run(images, edits, inversion: null);

    /// <summary>
    /// Each edit on its own (not chained) from one shared inversion: the single-attribute results of several edits of
    /// the same image cost one pSp pass instead of one per edit.
    /// </summary>
    public List<EditBatchResult> RunEach(Tensor images, IReadOnlyList<AttributeEdit> edits)
    {
        CheckImages(images);
        using var _ = inference_mode();
        var sw = Stopwatch.StartNew();
        using var inversion = _invert.Invert(images);
        double invertMs = sw.Elapsed.TotalMilliseconds;
        var results = new List<EditBatchResult>();
        foreach (var e in edits)
        {
            var r = Run(images, new[] { e }, inversion);
            ((Dictionary<string, double>)r.StageMilliseconds)["invert"] = invertMs / edits.Count;
            results.Add(r);
        }
        return results;
    }

    /// <summary>The method with a given inversion (null: invert here); the result owns copies of everything it returns.</summary>
    public EditBatchResult Run(Tensor images, IReadOnlyList<AttributeEdit> edits, Inversion? inversion)
    {
        if (edits.Count == 0) throw new ArgumentException("no edit given");
        var directions = edits.Select(e => models.Direction(e.Attribute)).ToList();
        foreach (var e in edits)
            if (double.IsNaN(e.Strength) || double.IsInfinity(e.Strength)) throw new ArgumentException($"edit {e.Attribute}: strength must be a finite number, got {e.Strength}");
        CheckImages(images);

        var ms = new Dictionary<string, double>();
        var sw = Stopwatch.StartNew();
        double Lap() { var t = sw.Elapsed.TotalMilliseconds; sw.Restart(); return t; }

        using var _ = inference_mode();
        using var scope = NewDisposeScope();
        if (inversion is null)
        {
            inversion = _invert.Invert(images);
            ms["invert"] = Lap();
        }
        else ms["invert"] = 0;

        var edited = new List<Tensor>();
        var latent = inversion.Latent;
        for (int i = 0; i < edits.Count; i++)
        {
            (latent, var image) = _invert.Edit(latent, directions[i], edits[i].Strength);
            edited.Add(image);
        }
        ms["edit"] = Lap();

        long b = images.shape[0];
        var targets = directions.Select(d => (IReadOnlyList<long>)Enumerable.Repeat((long)d.ClassIndex, (int)b).ToArray()).ToList();
        var (mask, steps) = _diffCam.MultiAttributeMask(inversion.Image, edited, targets);
        ms["diffcam"] = Lap();

        var coarse = ComposeStage.Compose(edited[^1], images, mask);
        ms["compose"] = Lap();

        var final = options.SkipDeghosting ? coarse.clone() : _deghost.Deghost(coarse);
        ms["deghost"] = Lap();

        var degenerate = Enumerable.Range(0, (int)b)
            .Select(s => (IReadOnlyList<string>)edits.Where((e, i) => steps[i].Degenerate[s]).Select(e => e.Attribute).ToList()).ToList();
        var result = new EditBatchResult
        {
            Inversion = inversion.Image.clone().MoveToOuterDisposeScope(),
            Latent = inversion.Latent.clone().MoveToOuterDisposeScope(),
            Edited = edited.Select(t => t.MoveToOuterDisposeScope()).ToList(),
            StepMasks = steps.Select(s => s.Mask.MoveToOuterDisposeScope()).ToList(),
            Mask = mask.MoveToOuterDisposeScope(),
            Coarse = coarse.MoveToOuterDisposeScope(),
            Final = final.MoveToOuterDisposeScope(),
            DegenerateEdits = degenerate,
            StageMilliseconds = ms,
        };
        return result;
    }

    void CheckImages(Tensor images)
    {
        if (images.dim() != 4 || images.shape[1] != 3 || images.shape[2] != models.ImageSize || images.shape[3] != models.ImageSize)
            throw new ArgumentException($"images must be [B,3,{models.ImageSize},{models.ImageSize}], got [{string.Join(",", images.shape)}]");
        if (!images.isfinite().all().item<bool>()) throw new ArgumentException("images hold NaN or infinite values");
    }
}
