using System.Diagnostics;
using Pipeline.Contracts;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Workers;
using static TorchSharp.torch;

namespace Pipeline.Processing;

/// <summary>The DiffCam stage by <see cref="DiffCamStage"/> and <see cref="ComposeStage"/>: per group of items sharing
/// the edit classes and job options, the multi-attribute mask (element-wise max of the per-step masks, step i comparing
/// T_(i−1) with T_i) over the whole group, then F = T_r·M + I·(1 − M). Outputs: the masks (safetensors: <c>mask</c> and
/// <c>step_mask_i</c>) and the coarse composite F (PNG).</summary>
public sealed class EditingDiffCamProcessor(LoadedModels loaded) : IDiffCamProcessor
{
    public Task LoadAsync(CancellationToken cancellationToken) => Task.Run(loaded.EnsureLoaded, cancellationToken);

    public Task<IReadOnlyList<ItemOutcome<DiffCamOutput>>> ComposeAsync(IReadOnlyList<DiffCamInput> batch, CancellationToken cancellationToken) =>
        Task.Run(() => Compose(batch), cancellationToken);

    private sealed record Prepared(DiffCamInput Input, Tensor Source, Tensor Inversion, List<Tensor> Edited, List<LoadedDirection> Directions) : IDisposable
    {
        public void Dispose()
        {
            Source.Dispose();
            Inversion.Dispose();
            foreach (var t in Edited) t.Dispose();
        }
    }

    private IReadOnlyList<ItemOutcome<DiffCamOutput>> Compose(IReadOnlyList<DiffCamInput> batch)
    {
        var models = loaded.Models;
        var outcomes = new List<ItemOutcome<DiffCamOutput>>();
        var ready = new List<Prepared>();
        try
        {
            foreach (var input in batch)
            {
                try
                {
                    ready.Add(Prepare(models, input));
                }
                catch (Exception e) when (e is ImageDecodeException or ArgumentException or InvalidDataException)
                {
                    outcomes.Add(ItemOutcome<DiffCamOutput>.Rejected(input.ItemId, Reasons.Of(e)));
                }
            }
            foreach (var group in ready.GroupBy(p => (Classes: string.Join(",", p.Directions.Select(d => d.ClassIndex)),
                         Options: JobSettings.BatchKey(p.Input.Options))))
                outcomes.AddRange(ComposeGroup(models, group.ToList()));
            return outcomes;
        }
        finally
        {
            foreach (var p in ready)
                p.Dispose();
        }
    }

    private static Prepared Prepare(EditModels models, DiffCamInput input)
    {
        var edits = input.Edits ?? throw new InvalidDataException("the DiffCam stage received no edit chain for this item (the coordinator is older than the workers)");
        if (edits.Count != input.Edited.Count || edits.Count == 0)
            throw new InvalidDataException($"the item has {edits.Count} edits but {input.Edited.Count} edited images");
        var directions = edits.Select(e => models.Direction(e.Attribute)).ToList();
        using var raw = StagePayloads.DecodeImage(input.Source, "the image");
        var source = SizePolicy.Fit(raw, models.ImageSize, JobSettings.Size(input.Options), "the image");
        var inversion = StagePayloads.DecodeStageImage(input.Inversion, "inversion");
        var edited = input.Edited.Select((e, i) => StagePayloads.DecodeStageImage(e, $"edited image {i + 1}")).ToList();
        return new Prepared(input, source, inversion, edited, directions);
    }

    private static IEnumerable<ItemOutcome<DiffCamOutput>> ComposeGroup(EditModels models, List<Prepared> group)
    {
        var first = group[0];
        var stage = new DiffCamStage(models.DiffCam, models.DiffCamInputSize, JobSettings.Method(first.Input.Options));
        long b = group.Count;

        using var _ = inference_mode();
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        var sources = cat(group.Select(g => g.Source).ToArray(), 0);
        var inversions = cat(group.Select(g => g.Inversion).ToArray(), 0);
        var edited = Enumerable.Range(0, first.Edited.Count).Select(step => cat(group.Select(g => g.Edited[step]).ToArray(), 0)).ToList();
        var targets = first.Directions.Select(d => (IReadOnlyList<long>)Enumerable.Repeat((long)d.ClassIndex, (int)b).ToArray()).ToList();
        var (mask, steps) = stage.MultiAttributeMask(inversions, edited, targets);                // [B,1,S,S]
        var diffCamMs = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        var coarse = ComposeStage.Compose(edited[^1], sources, mask);
        var composeMs = clock.Elapsed.TotalMilliseconds;

        var outcomes = new List<ItemOutcome<DiffCamOutput>>(group.Count);
        for (var i = 0; i < group.Count; i++)
        {
            var input = group[i].Input;
            var edits = input.Edits!;
            var metadata = new Dictionary<string, string>
            {
                [StagePayloads.MillisecondsPrefix + "diffcam"] = StagePayloads.Milliseconds(diffCamMs / b),
                [StagePayloads.MillisecondsPrefix + "compose"] = StagePayloads.Milliseconds(composeMs / b),
                [StagePayloads.DegenerateEdits] = string.Join(",", edits.Where((_, step) => steps[step].Degenerate[i]).Select(e => e.Attribute)),
            };
            var tensors = new List<(string, Tensor)> { (StagePayloads.MaskTensor, mask[i]) };
            tensors.AddRange(steps.Select((s, step) => (StagePayloads.StepMaskTensor(step + 1), s.Mask[i])));
            var output = new DiffCamOutput(
                StagePayloads.SafeTensors(tensors, metadata, input.Options.HalfPrecisionTensors),
                StagePayloads.StageImage(coarse[i], input.Options.HalfPrecisionTensors));
            outcomes.Add(ItemOutcome<DiffCamOutput>.Done(input.ItemId, output));
        }
        foreach (var s in steps)
            s.Dispose();
        return outcomes;
    }
}
