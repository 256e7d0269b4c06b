using System.Diagnostics;
using System.Text.Json;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Workers;
using static TorchSharp.torch;

namespace Pipeline.Processing;

/// <summary>The invert stage by <see cref="InvertStage"/>: decode and size-check each source, then per group of items
/// sharing an edit chain and job options, one pSp pass and one generator pass per edit over the whole group.
/// Outputs: the W+ latent (safetensors), the inversion I' and the edited images T_1..T_r (PNG).</summary>
public sealed class EditingInvertProcessor(LoadedModels loaded) : IInvertProcessor
{
    public Task LoadAsync(CancellationToken cancellationToken) => Task.Run(loaded.EnsureLoaded, cancellationToken);

    public Task<IReadOnlyList<ItemOutcome<InvertOutput>>> InvertAsync(IReadOnlyList<InvertInput> batch, CancellationToken cancellationToken) =>
        Task.Run(() => Invert(batch), cancellationToken);

    private IReadOnlyList<ItemOutcome<InvertOutput>> Invert(IReadOnlyList<InvertInput> batch)
    {
        var models = loaded.Models;
        var outcomes = new List<ItemOutcome<InvertOutput>>();
        var ready = new List<(InvertInput Input, Tensor Image)>();
        try
        {
            foreach (var input in batch)
            {
                try
                {
                    ready.Add((input, Prepare(models, input)));
                }
                catch (Exception e) when (e is ImageDecodeException or ArgumentException or InvalidDataException)
                {
                    outcomes.Add(ItemOutcome<InvertOutput>.Rejected(input.ItemId, Reasons.Of(e)));
                }
            }
            foreach (var group in ready.GroupBy(r => (Chain: string.Join(";", r.Input.Edits.Select(e => $"{e.Attribute}={e.Strength:R}")),
                         Options: JobSettings.BatchKey(r.Input.Options))))
                outcomes.AddRange(InvertGroup(models, group.ToList()));
            return outcomes;
        }
        finally
        {
            foreach (var (_, image) in ready)
                image.Dispose();
        }
    }

    /// <summary>Checks the edits against the pack and decodes the source to [1,3,S,S]; throws what makes the item bad.</summary>
    private static Tensor Prepare(EditModels models, InvertInput input)
    {
        if (input.Edits.Count == 0)
            throw new ArgumentException("no edit was given; at least one edit (attribute=strength) is needed");
        foreach (var edit in input.Edits)
        {
            models.Direction(edit.Attribute);
            if (!double.IsFinite(edit.Strength))
                throw new ArgumentException($"edit '{edit.Attribute}' has strength {edit.Strength}; a strength must be a finite number");
        }
        var sizeMode = JobSettings.Size(input.Options);
        using var raw = StagePayloads.DecodeImage(input.Source, "the image");
        return SizePolicy.Fit(raw, models.ImageSize, sizeMode, "the image");
    }

    private static IEnumerable<ItemOutcome<InvertOutput>> InvertGroup(EditModels models, List<(InvertInput Input, Tensor Image)> group)
    {
        var first = group[0].Input;
        var options = JobSettings.Method(first.Options);
        var stage = new InvertStage(models, options);
        var directions = first.Edits.Select(e => models.Direction(e.Attribute)).ToList();

        using var _ = inference_mode();
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        var images = cat(group.Select(g => g.Image).ToArray(), 0);                       // [B,3,S,S]
        using var inversion = stage.Invert(images);
        var invertMs = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        var edited = new List<Tensor>();
        var latent = inversion.Latent;
        for (var step = 0; step < first.Edits.Count; step++)
        {
            (latent, var image) = stage.Edit(latent, directions[step], first.Edits[step].Strength);
            edited.Add(image);
        }
        var editMs = clock.Elapsed.TotalMilliseconds;

        var metadata = new Dictionary<string, string>
        {
            [StagePayloads.MillisecondsPrefix + "invert"] = StagePayloads.Milliseconds(invertMs / group.Count),
            [StagePayloads.MillisecondsPrefix + "edit"] = StagePayloads.Milliseconds(editMs / group.Count),
            [StagePayloads.InversionMetadata] = JsonSerializer.Serialize(stage.Describe()),
        };
        var outcomes = new List<ItemOutcome<InvertOutput>>(group.Count);
        for (var i = 0; i < group.Count; i++)
        {
            var input = group[i].Input;
            var output = new InvertOutput(
                StagePayloads.SafeTensors([(StagePayloads.LatentTensor, inversion.Latent[i])], metadata, input.Options.HalfPrecisionTensors),
                StagePayloads.StageImage(inversion.Image[i], input.Options.HalfPrecisionTensors),
                edited.Select(t => StagePayloads.StageImage(t[i], input.Options.HalfPrecisionTensors)).ToList());
            outcomes.Add(ItemOutcome<InvertOutput>.Done(input.ItemId, output));
        }
        return outcomes;
    }
}
