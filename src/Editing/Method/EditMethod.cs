using System.Diagnostics;
using Pipeline.Editing.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Method;

/// <summary>
/// The method of the paper on one batch of images sharing one edit chain, as three stage functions: <see cref="RunInvert"/>
/// (invert once, then T_i = G(w + Σ_{j≤i} α_j n_j)), <see cref="RunDiffCam"/> (Diff-CAM per step, their element-wise
/// max, T_r composed with the input) and <see cref="RunDeghost"/>. <see cref="Run"/> chains them in this process; each
/// stage worker calls one of them on what the previous stage stored, so both engines run the same code in the same order
/// with the same checks. Every stage takes CPU tensors and hands back CPU tensors; inside, it runs on the models'
/// device (<see cref="EditModels.Device"/>).
/// </summary>
public sealed class EditMethod(EditModels models, MethodOptions options)
{
    readonly InvertStage _invert = new(models, options);
    readonly DiffCamStage _diffCam = new(models.DiffCam, models.DiffCamInputSize, options, models.AgnosticMaskGain);
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

    /// <summary>The three stages in order, with a given inversion (null: invert here); the result owns what it returns.</summary>
    public EditBatchResult Run(Tensor images, IReadOnlyList<AttributeEdit> edits, Inversion? inversion)
    {
        var chain = EditChain.Resolve(models, edits);
        using var inverted = RunInvert(images, chain, inversion);
        using var diffCam = RunDiffCam(images, inverted.Inversion, inverted.Edited, chain);
        var clock = Stopwatch.StartNew();
        var final = RunDeghost(diffCam.Coarse);
        var ms = new Dictionary<string, double>(inverted.Milliseconds);
        foreach (var (stage, value) in diffCam.Milliseconds)
            ms[stage] = value;
        ms["deghost"] = clock.Elapsed.TotalMilliseconds;
        // The stage results are disposed on leaving; the batch result keeps its own references.
        return new EditBatchResult
        {
            Inversion = inverted.Inversion.alias(),
            Latent = inverted.Latent.alias(),
            Edited = inverted.Edited.Select(t => t.alias()).ToList(),
            StepMasks = diffCam.StepMasks.Select(t => t.alias()).ToList(),
            Mask = diffCam.Mask.alias(),
            Coarse = diffCam.Coarse.alias(),
            Final = final,
            DegenerateEdits = diffCam.DegenerateEdits,
            StageMilliseconds = ms,
        };
    }

    /// <summary>The Invert stage: images [B,3,S,S] in [−1,1] → W+ codes, I' and T_1..T_r. A given
    /// <paramref name="inversion"/> is used instead of inverting (its time is not counted). Each stage gives the free
    /// memory its buffers leave back to the system when it ends (<see cref="NativeHeap"/>).</summary>
    public InvertedBatch RunInvert(Tensor images, EditChain chain, Inversion? inversion = null) =>
        NativeHeap.ReleasingAfter(() => InvertAndEdit(images, chain, inversion));

    InvertedBatch InvertAndEdit(Tensor images, EditChain chain, Inversion? inversion)
    {
        CheckImages(images);
        using var _ = inference_mode();
        using var scope = NewDisposeScope();
        var ms = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();
        var inverted = inversion ?? _invert.Invert(images);
        ms["invert"] = inversion is null ? Lap(clock) : 0;

        var edited = new List<Tensor>(chain.Count);
        var latent = inverted.Latent;
        for (int i = 0; i < chain.Count; i++)
        {
            (latent, var image) = _invert.Edit(latent, chain.Directions[i], chain.Edits[i].Strength);
            edited.Add(image);
        }
        ms["edit"] = Lap(clock);
        return new InvertedBatch(inverted.Latent.clone().MoveToOuterDisposeScope(), inverted.Image.clone().MoveToOuterDisposeScope(),
            edited.Select(t => t.MoveToOuterDisposeScope()).ToList(), ms);
    }

    /// <summary>The DiffCam stage: the input images, I' and T_1..T_r of <see cref="RunInvert"/> → step masks, M and F.</summary>
    public DiffCamBatch RunDiffCam(Tensor images, Tensor inversion, IReadOnlyList<Tensor> edited, EditChain chain) =>
        NativeHeap.ReleasingAfter(() => MaskAndCompose(images, inversion, edited, chain));

    DiffCamBatch MaskAndCompose(Tensor images, Tensor inversion, IReadOnlyList<Tensor> edited, EditChain chain)
    {
        CheckImages(images);
        if (edited.Count != chain.Count)
            throw new ArgumentException($"{chain.Count} edits but {edited.Count} edited images");
        using var _ = inference_mode();
        using var scope = NewDisposeScope();
        var ms = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();
        long b = images.shape[0];
        var device = _diffCam.Device;
        var editedOnDevice = edited.Select(t => t.OnDevice(device)).ToList();
        var (mask, steps) = _diffCam.MultiAttributeMaskOnDevice(inversion.OnDevice(device), editedOnDevice, chain.Targets(b));     // [B,1,S,S]
        ms["diffcam"] = Lap(clock);
        var coarse = Composition.Compose(editedOnDevice[^1], images.OnDevice(device), mask);       // Eq. 5
        ms["compose"] = Lap(clock);
        var degenerate = Enumerable.Range(0, (int)b)
            .Select(s => (IReadOnlyList<string>)chain.Edits.Where((_, step) => steps[step].Degenerate[s]).Select(e => e.Attribute).ToList()).ToList();
        return new DiffCamBatch(mask.OnCpu().MoveToOuterDisposeScope(), steps.Select(s => s.Mask.OnCpu().MoveToOuterDisposeScope()).ToList(),
            coarse.OnCpu().MoveToOuterDisposeScope(), degenerate, ms);
    }

    /// <summary>The Deghost stage: the coarse composites F [B,3,S,S] → the final images (F itself when deghosting is off).</summary>
    public Tensor RunDeghost(Tensor coarse) => NativeHeap.ReleasingAfter(() =>
    {
        CheckImages(coarse);
        using var _ = inference_mode();
        return options.SkipDeghosting ? coarse.clone() : _deghost.Deghost(coarse);
    });

    static double Lap(Stopwatch clock)
    {
        var ms = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        return ms;
    }

    void CheckImages(Tensor images)
    {
        if (images.dim() != 4 || images.shape[1] != 3 || images.shape[2] != models.ImageSize || images.shape[3] != models.ImageSize)
            throw new ArgumentException($"images must be [B,3,{models.ImageSize},{models.ImageSize}], got [{string.Join(",", images.shape)}]");
        using var scope = NewDisposeScope();   // holds isfinite()'s result while all() reads it (stage calls check outside their scope)
        if (!images.isfinite().all().item<bool>()) throw new ArgumentException("images hold NaN or infinite values");
    }
}
