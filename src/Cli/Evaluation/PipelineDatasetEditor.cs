using Pipeline.Cli.Engines;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Editing.Evaluation;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Hosting.Workers;
using Pipeline.Workers.Method;
using static TorchSharp.torch;

namespace Pipeline.Cli.Evaluation;

/// <summary>
/// Edits an evaluation batch through the pipeline: the batch's images go up as PNG, one job with the attribute's edit
/// runs through the coordinator saga and the three stage workers (embedded in this process, or a running cluster), and
/// the items' <c>final</c> image and <c>mask</c> come back by claim check, as the float tensors the stages computed. The
/// method options are the in-process engine's defaults (stored noise, closed-form Diff-CAM), so the two engines differ
/// only where libtorch's batching moves the last float bits.
/// </summary>
public sealed class PipelineDatasetEditor(IEditJobHost host, string packName, int imageSize, JobOptions jobOptions, TimeSpan? pollInterval = null) : IDatasetEditor
{
    public const string FinalRole = "final";
    public const string MaskRole = "mask";
    static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(100);

    public int ImageSize => imageSize;

    /// <summary>Stable across runs (it is part of the resume fingerprint): the pack and where it runs, no job id.</summary>
    public string Description => $"model pack '{packName}' through the {host.Description}";

    /// <summary>Job options that run the method as the in-process engine does; inputs must already have the pack's size.</summary>
    public static JobOptions DefaultJobOptions(int seed = 0) => new(seed, HalfPrecisionTensors: false, JobSettings.From(new MethodOptions(), SizeMode.Refuse));

    public EditedBatch Edit(Tensor images, AttributeEdit edit)
    {
        if (images.dim() != 4 || images.shape[1] != 3 || images.shape[2] != imageSize || images.shape[3] != imageSize)
            throw new ArgumentException($"images must be [B,3,{imageSize},{imageSize}], got [{string.Join(",", images.shape)}]");
        var pngs = Enumerable.Range(0, (int)images.shape[0]).Select(i => ImageWriter.EncodePng(RgbImage.FromTensor(images[i]))).ToList();
        // Off the caller's synchronization context: the evaluation is synchronous, the host's calls are not.
        var (finals, masks) = Task.Run(() => RunJobAsync(pngs, edit, CancellationToken.None)).GetAwaiter().GetResult();
        using var scope = NewDisposeScope();
        var output = cat(finals.Select(DecodeFinal).ToArray(), 0);       // [B,3,S,S] in [−1,1]
        var mask = cat(masks.Select(DecodeMask).ToArray(), 0);           // [B,1,S,S] in [0,1]
        return new EditedBatch(output.MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope());
    }

    async Task<(List<byte[]> Finals, List<byte[]> Masks)> RunJobAsync(List<byte[]> pngs, AttributeEdit edit, CancellationToken cancel)
    {
        var items = new List<JobItemSpec>(pngs.Count);
        foreach (var png in pngs)
            items.Add(new JobItemSpec(await host.UploadAsync(png, "image/png", cancel)));
        var jobId = await host.SubmitAsync(new SubmitJobRequest(items, [new EditSpec(edit.Attribute, edit.Strength)], jobOptions), cancel);

        JobStatus status;
        while (!(status = await host.GetStatusAsync(jobId, cancel)).IsFinished)
            await Task.Delay(pollInterval ?? DefaultPollInterval, cancel);
        if (status.Completed != pngs.Count)
        {
            var failed = (await host.ListItemsAsync(jobId, cancel)).Where(i => i.State != "Completed")
                .Select(i => $"item {i.Index}: {i.State}{(i.FailedStage is null ? "" : " at " + i.FailedStage)}{(i.FailureReason is null ? "" : ": " + i.FailureReason)}");
            throw new InvalidOperationException($"{edit}: job {jobId} on the {host.Description} completed {status.Completed} of {pngs.Count} item(s) ({string.Join("; ", failed)})");
        }

        var finals = new List<byte[]>(pngs.Count);
        var masks = new List<byte[]>(pngs.Count);
        for (int i = 0; i < pngs.Count; i++)
        {
            var outputs = await host.GetOutputsAsync(jobId, i, cancel) ?? throw new InvalidOperationException($"job {jobId}: item {i} has no outputs");
            finals.Add(await host.DownloadAsync(Blob(outputs, FinalRole, jobId), cancel));
            masks.Add(await host.DownloadAsync(Blob(outputs, MaskRole, jobId), cancel));
        }
        return (finals, masks);
    }

    static BlobRef Blob(ItemOutputs outputs, string role, Guid jobId) =>
        outputs.Blobs.TryGetValue(role, out var blob) ? blob : throw new InvalidOperationException($"job {jobId}: item {outputs.Index} has no '{role}' output");

    Tensor DecodeFinal(byte[] bytes)
    {
        var image = StagePayloads.DecodeStageImage(new Payload(bytes, MediaTypes.SafeTensors), "final image");        // [1,3,S,S]
        if (image.shape[2] != imageSize || image.shape[3] != imageSize)
            throw new InvalidDataException($"the pipeline returned a {image.shape[3]}x{image.shape[2]} image; the evaluation expects {imageSize}x{imageSize} (is the worker's model pack the one given with --models?)");
        return image;
    }

    static Tensor DecodeMask(byte[] safetensors)
    {
        using var dict = StagePayloads.ReadSafeTensors(new Payload(safetensors, MediaTypes.SafeTensors), "mask");
        var mask = dict[StagePayloads.MaskTensor].to_type(ScalarType.Float32);      // [1,S,S] per item
        return mask.dim() == 3 ? mask.unsqueeze(0) : mask.clone();                  // [1,1,S,S]
    }
}
