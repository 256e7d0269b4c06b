using System.Text.Json;
using Pipeline.Contracts.Api;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Hosting.Workers;
using Pipeline.Workers.Method;
using static TorchSharp.torch;

namespace Pipeline.Workers.Invert;

/// <summary>The Invert stage by <see cref="EditMethod.RunInvert"/>: each source decoded and fitted to the pack's size
/// (the only time it is), then per group of items sharing an edit chain and job options, one pass over the whole group.
/// Outputs: the W+ latent (safetensors), the fitted input, the inversion I' and the edited images T_1..T_r (float stage
/// images).</summary>
public sealed class EditingInvertProcessor(LoadedModels loaded)
    : EditingStageProcessor<InvertInput, EditingInvertProcessor.Prepared, InvertOutput>(loaded), IInvertProcessor
{
    /// <summary>One item: its edit chain and method options, and the source fitted to [1,3,S,S].</summary>
    public sealed record Prepared(InvertInput Input, EditChain Chain, MethodOptions Options, Tensor Image, string BatchKey) : IDisposable
    {
        public void Dispose() => Image.Dispose();
    }

    protected override Guid ItemIdOf(InvertInput input) => input.ItemId;

    protected override string BatchKeyOf(Prepared item) => item.BatchKey;

    /// <summary>Checks the edits against the pack and the job's settings, and fits the source to [1,3,S,S].</summary>
    protected override Prepared Prepare(InvertInput input)
    {
        var models = Models;
        var chain = EditChain.Resolve(models, JobSettings.Edits(input.Edits));
        var options = JobSettings.Method(input.Options, Loaded.VggWeights);
        var size = JobSettings.Size(input.Options);
        using var raw = StagePayloads.DecodeImage(input.Source, "the image", DecodeTarget.ForModel(models.ImageSize, size));
        var image = SizePolicy.Fit(raw, models.ImageSize, size, "the image");
        return new Prepared(input, chain, options, image, $"{chain.Key}|{JobSettings.BatchKey(input.Options)}");
    }

    protected override IEnumerable<ItemOutcome<InvertOutput>> ProcessGroup(IReadOnlyList<Prepared> group)
    {
        var first = group[0];
        var method = new EditMethod(Models, first.Options);
        using var scope = NewDisposeScope();
        var images = cat(group.Select(g => g.Image).ToArray(), 0);                       // [B,3,S,S]
        using var inverted = method.RunInvert(images, first.Chain);
        var metadata = new Dictionary<string, string>
        {
            [StagePayloads.InversionMetadata] = JsonSerializer.Serialize(method.Invert.Describe()),
            [StagePayloads.DeviceMetadata] = Models.Device.Name,
        };
        var milliseconds = inverted.Milliseconds.ToDictionary(kv => kv.Key, kv => kv.Value / group.Count);
        var outcomes = new List<ItemOutcome<InvertOutput>>(group.Count);
        for (var i = 0; i < group.Count; i++)
        {
            var input = group[i].Input;
            var half = input.Options.HalfPrecisionTensors;
            var output = new InvertOutput(
                StagePayloads.SafeTensors([(StagePayloads.LatentTensor, inverted.Latent[i])], metadata, half),
                StagePayloads.StageImage(images[i], half),
                StagePayloads.StageImage(inverted.Inversion[i], half),
                inverted.Edited.Select(t => StagePayloads.StageImage(t[i], half)).ToList(),
                [
                    StagePayloads.Png(PngRoles.Input, images[i]),
                    StagePayloads.Png(PngRoles.Inversion, inverted.Inversion[i]),
                    .. inverted.Edited.Select((t, step) => StagePayloads.Png(PngRoles.Edited(step + 1), t[i])),
                ]);
            outcomes.Add(ItemOutcome<InvertOutput>.Done(input.ItemId, output, milliseconds));
        }
        return outcomes;
    }
}
