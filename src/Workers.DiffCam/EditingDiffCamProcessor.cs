using Pipeline.Contracts.Api;
using Pipeline.Editing.Method;
using Pipeline.Hosting.Workers;
using Pipeline.Workers.Method;
using static TorchSharp.torch;

namespace Pipeline.Workers.DiffCam;

/// <summary>The DiffCam stage by <see cref="EditMethod.RunDiffCam"/>: per group of items sharing the edit chain and job
/// options, the multi-attribute mask (element-wise max of the per-step masks, step i comparing T_(i−1) with T_i) over
/// the whole group, then F = T_r·M + I·(1 − M). Outputs: the masks (safetensors: <c>mask</c> and <c>step_mask_i</c>)
/// and the coarse composite F (a float stage image).</summary>
public sealed class EditingDiffCamProcessor(LoadedModels loaded)
    : EditingStageProcessor<DiffCamInput, EditingDiffCamProcessor.Prepared, DiffCamOutput>(loaded), IDiffCamProcessor
{
    /// <summary>One item: its edit chain and method options, and its input, inversion and edited images [1,3,S,S].</summary>
    public sealed record Prepared(DiffCamInput Input, EditChain Chain, MethodOptions Options, Tensor Image, Tensor Inversion, List<Tensor> Edited,
        string BatchKey) : IDisposable
    {
        public void Dispose()
        {
            Image.Dispose();
            Inversion.Dispose();
            foreach (var t in Edited) t.Dispose();
        }
    }

    protected override Guid ItemIdOf(DiffCamInput input) => input.ItemId;

    protected override string BatchKeyOf(Prepared item) => item.BatchKey;

    protected override Prepared Prepare(DiffCamInput input)
    {
        var chain = EditChain.Resolve(Models, JobSettings.Edits(input.Edits));
        if (chain.Count != input.Edited.Count)
            throw new InvalidDataException($"the item has {chain.Count} edits but {input.Edited.Count} edited images");
        var options = JobSettings.Method(input.Options);
        var image = StagePayloads.DecodeStageImage(input.Input, "input");
        var inversion = StagePayloads.DecodeStageImage(input.Inversion, "inversion");
        var edited = input.Edited.Select((e, i) => StagePayloads.DecodeStageImage(e, $"edited image {i + 1}")).ToList();
        return new Prepared(input, chain, options, image, inversion, edited, $"{chain.Key}|{JobSettings.BatchKey(input.Options)}");
    }

    protected override IEnumerable<ItemOutcome<DiffCamOutput>> ProcessGroup(IReadOnlyList<Prepared> group)
    {
        var first = group[0];
        var method = new EditMethod(Models, first.Options);
        using var scope = NewDisposeScope();
        var images = cat(group.Select(g => g.Image).ToArray(), 0);
        var inversions = cat(group.Select(g => g.Inversion).ToArray(), 0);
        var edited = Enumerable.Range(0, first.Chain.Count).Select(step => cat(group.Select(g => g.Edited[step]).ToArray(), 0)).ToList();
        using var result = method.RunDiffCam(images, inversions, edited, first.Chain);

        var milliseconds = result.Milliseconds.ToDictionary(kv => kv.Key, kv => kv.Value / group.Count);
        var outcomes = new List<ItemOutcome<DiffCamOutput>>(group.Count);
        for (var i = 0; i < group.Count; i++)
        {
            var input = group[i].Input;
            var metadata = new Dictionary<string, string>
            {
                [StagePayloads.DegenerateEdits] = string.Join(",", result.DegenerateEdits[i]),
                [StagePayloads.DeviceMetadata] = Models.Device.Name,
            };
            var tensors = new List<(string, Tensor)> { (StagePayloads.MaskTensor, result.Mask[i]) };
            tensors.AddRange(result.StepMasks.Select((mask, step) => (StagePayloads.StepMaskTensor(step + 1), mask[i])));
            var output = new DiffCamOutput(
                StagePayloads.SafeTensors(tensors, metadata, input.Options.HalfPrecisionTensors),
                StagePayloads.StageImage(result.Coarse[i], input.Options.HalfPrecisionTensors),
                [StagePayloads.MaskPng(PngRoles.Mask, result.Mask[i]), StagePayloads.Png(PngRoles.Coarse, result.Coarse[i])]);
            outcomes.Add(ItemOutcome<DiffCamOutput>.Done(input.ItemId, output, milliseconds));
        }
        return outcomes;
    }
}
