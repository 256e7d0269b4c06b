using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Workers;
using static TorchSharp.torch;

namespace Pipeline.Processing;

/// <summary>The deghost stage by <see cref="DeghostStage"/>: the coarse composites of a batch (per job options) in one
/// pass of the deghosting network; the final images as PNG. A job with deghosting switched off passes F through.</summary>
public sealed class EditingDeghostProcessor(LoadedModels loaded) : IDeghostProcessor
{
    public Task LoadAsync(CancellationToken cancellationToken) => Task.Run(loaded.EnsureLoaded, cancellationToken);

    public Task<IReadOnlyList<ItemOutcome<DeghostOutput>>> DeghostAsync(IReadOnlyList<DeghostInput> batch, CancellationToken cancellationToken) =>
        Task.Run(() => Deghost(batch), cancellationToken);

    private IReadOnlyList<ItemOutcome<DeghostOutput>> Deghost(IReadOnlyList<DeghostInput> batch)
    {
        var models = loaded.Models;
        var outcomes = new List<ItemOutcome<DeghostOutput>>();
        var ready = new List<(DeghostInput Input, Tensor Composite)>();
        try
        {
            foreach (var input in batch)
            {
                try
                {
                    if (JobSettings.Method(input.Options).SkipDeghosting)
                    {
                        outcomes.Add(ItemOutcome<DeghostOutput>.Done(input.ItemId, new DeghostOutput(input.Composite)));
                        continue;
                    }
                    var composite = StagePayloads.DecodeStageImage(input.Composite, "composite");
                    if (composite.shape[2] != models.ImageSize || composite.shape[3] != models.ImageSize)
                    {
                        composite.Dispose();
                        throw new InvalidDataException($"the composite is {composite.shape[3]}x{composite.shape[2]}; this model pack makes {models.ImageSize}x{models.ImageSize}");
                    }
                    ready.Add((input, composite));
                }
                catch (Exception e) when (e is ImageDecodeException or ArgumentException or InvalidDataException)
                {
                    outcomes.Add(ItemOutcome<DeghostOutput>.Rejected(input.ItemId, Reasons.Of(e)));
                }
            }
            if (ready.Count > 0)
            {
                var stage = new DeghostStage(models.Deghost);
                using var _ = inference_mode();
                using var scope = NewDisposeScope();
                var final = stage.Deghost(cat(ready.Select(r => r.Composite).ToArray(), 0));     // [B,3,S,S]
                for (var i = 0; i < ready.Count; i++)
                    outcomes.Add(ItemOutcome<DeghostOutput>.Done(ready[i].Input.ItemId, new DeghostOutput(StagePayloads.Png(final[i]))));
            }
            return outcomes;
        }
        finally
        {
            foreach (var (_, composite) in ready)
                composite.Dispose();
        }
    }
}
