using System.Diagnostics;
using System.Text.Json;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Editing.Outputs;
using Pipeline.Hosting.Workers;
using Pipeline.Workers.Method;
using static TorchSharp.torch;

namespace Pipeline.Cli.Engines;

/// <summary>
/// Runs a folder through the pipeline (embedded or a coordinator): uploads every unfinished item, submits one job with
/// each item's edit chain and the method options as job settings, and as items finish fetches their stage outputs by
/// claim check (float stage images, the input as the invert stage fitted it among them) and writes the same item folder
/// as the in-process runner (<see cref="ItemOutputFolder"/>). A rejected item gets its one-line reason (an entry that is
/// no image file, or a header the reader refuses, before anything is uploaded); already-finished items (item.json
/// exists) are not submitted.
/// </summary>
public sealed class PipelineEditRunner(IEditJobHost host, ModelPackInfo pack, MethodOptions options, SizeMode sizeMode, string outDir)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public List<ItemOutcome> Run(IReadOnlyList<EditItem> items, IReadOnlyList<AttributeEdit> jobEdits, Action<ItemOutcome> onItem) =>
        RunAsync(items, jobEdits, onItem, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Runs the folder as one job. When <paramref name="cancellationToken"/> fires the run stops waiting: the
    /// items finished by then are written, the others are left for a rerun to resume.</summary>
    public async Task<List<ItemOutcome>> RunAsync(IReadOnlyList<EditItem> items, IReadOnlyList<AttributeEdit> jobEdits, Action<ItemOutcome> onItem,
        CancellationToken cancellationToken)
    {
        var outcomes = new List<ItemOutcome>();
        void Done(ItemOutcome o) { outcomes.Add(o); onItem(o); }

        var submitted = new List<(EditItem Item, string Sha)>();
        var specs = new List<JobItemSpec>();
        var target = DecodeTarget.ForModel(pack.ImageSize, sizeMode);
        try
        {
            foreach (var item in items)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (item.Refusal is { } refusal) { Done(new ItemOutcome(item.Name, false, refusal, null, item.Skipped)); continue; }
                var dir = Path.Combine(outDir, item.Name);
                if (ItemOutputFolder.IsDone(dir)) { Done(new ItemOutcome(item.Name, true, null, dir)); continue; }
                try
                {
                    var bytes = await File.ReadAllBytesAsync(item.Path, cancellationToken);
                    // The header checks here, before the upload: a bomb or a format the workers refuse never travels.
                    ImageReader.Check(bytes, Path.GetFileName(item.Path), target);
                    var blob = await host.UploadAsync(bytes, ContentType(item.Path), cancellationToken);
                    specs.Add(new JobItemSpec(blob, item.Edits.Select(e => new EditSpec(e.Attribute, e.Strength)).ToList()));
                    submitted.Add((item, blob.Sha256));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ImageDecodeException)
                {
                    Done(new ItemOutcome(item.Name, false, ImageDecodeException.ReasonOf(e), null));
                }
            }
            if (submitted.Count == 0)
                return outcomes;

            if (options.Seed > int.MaxValue)
                throw new ArgumentException($"--seed {options.Seed} is over {int.MaxValue}, the largest seed a job carries");
            var jobOptions = new JobOptions((int)options.Seed, HalfPrecisionTensors: false, JobSettings.From(options, sizeMode));
            var clock = Stopwatch.StartNew();
            var jobId = await host.SubmitAsync(new SubmitJobRequest(specs, jobEdits.Select(e => new EditSpec(e.Attribute, e.Strength)).ToList(), jobOptions),
                cancellationToken);
            var handled = new HashSet<int>();
            async Task Collect(CancellationToken token)
            {
                foreach (var summary in (await host.ListItemsAsync(jobId, token)).Where(s => IsFinal(s.State) && !handled.Contains(s.Index)))
                {
                    handled.Add(summary.Index);
                    var (item, sha) = submitted[summary.Index];
                    Done(summary.State switch
                    {
                        "Completed" => await WriteAsync(jobId, summary.Index, item, sha, clock.Elapsed.TotalMilliseconds / submitted.Count, token),
                        "Failed" => new ItemOutcome(item.Name, false, OneLine(summary.FailureReason ?? $"failed at the {summary.FailedStage} stage"), null),
                        _ => new ItemOutcome(item.Name, false, "cancelled", null),
                    });
                }
            }

            try
            {
                while (true)
                {
                    var status = await host.GetStatusAsync(jobId, cancellationToken);
                    if (status.Completed + status.Failed + status.Cancelled > handled.Count)
                        await Collect(cancellationToken);
                    if (status.IsFinished && handled.Count == submitted.Count)
                        return outcomes;
                    await Task.Delay(PollInterval, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped: what the pipeline finished by now is written, so a rerun resumes after it.
                await Collect(CancellationToken.None);
                return outcomes;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return outcomes;
        }
    }

    static bool IsFinal(string state) => state is "Completed" or "Failed" or "Cancelled";

    private async Task<ItemOutcome> WriteAsync(Guid jobId, int index, EditItem item, string sha, double wallMsPerItem, CancellationToken cancellationToken)
    {
        try
        {
            var outputs = await host.GetOutputsAsync(jobId, index, cancellationToken)
                          ?? throw new InvalidDataException($"the pipeline has no outputs for item {index}");
            var payloads = new Dictionary<string, Payload>();
            foreach (var (role, blob) in outputs.Blobs)
                if (role != "source")
                    payloads[role] = new Payload(await host.DownloadAsync(blob, cancellationToken), blob.ContentType);
            var dir = Path.Combine(outDir, item.Name);
            Write(dir, item, sha, payloads, wallMsPerItem);
            return new ItemOutcome(item.Name, true, null, dir);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or KeyNotFoundException or ImageDecodeException
                                      or CheckpointFormatException or HttpRequestException)
        {
            return new ItemOutcome(item.Name, false, $"the pipeline finished but its outputs could not be written: {OneLine(e.Message)}", null);
        }
    }

    /// <summary>Rebuilds the method's result for one item from its stage payloads and writes the item's folder.</summary>
    private void Write(string dir, EditItem item, string sha, Dictionary<string, Payload> payloads, double wallMsPerItem)
    {
        Payload Role(string role) => payloads.TryGetValue(role, out var p) ? p : throw new InvalidDataException($"the item's '{role}' output is missing");
        using var scope = NewDisposeScope();
        using var latent = StagePayloads.ReadSafeTensors(Role("latent"), "latent");
        using var masks = StagePayloads.ReadSafeTensors(Role("mask"), "mask");
        using var final = StagePayloads.ReadSafeTensors(Role("final"), "final");
        var input = StagePayloads.DecodeStageImage(Role("input"), "input");
        var steps = item.Edits.Count;
        using var result = new EditBatchResult
        {
            Inversion = StagePayloads.DecodeStageImage(Role("inversion"), "inversion"),
            Latent = latent[StagePayloads.LatentTensor].unsqueeze(0),
            Edited = Enumerable.Range(1, steps).Select(step => StagePayloads.DecodeStageImage(Role($"edited/{step}"), $"edited image {step}")).ToList(),
            StepMasks = Enumerable.Range(1, steps).Select(step => masks[StagePayloads.StepMaskTensor(step)].unsqueeze(0)).ToList(),
            Mask = masks[StagePayloads.MaskTensor].unsqueeze(0),
            Coarse = StagePayloads.DecodeStageImage(Role("composite"), "composite"),
            Final = StagePayloads.DecodeStageImage(Role("final"), "final"),
            DegenerateEdits = [Degenerate(masks)],
            // Stage timings are not stored with the outputs (a recomputed item must write the same bytes); the stage
            // workers log them per item.
            StageMilliseconds = new Dictionary<string, double>(),
        };
        var stageMs = new Dictionary<string, double>
        {
            // The job's wall time per item, queues and storage included: what the whole chain cost.
            ["pipeline_wall_per_item"] = wallMsPerItem,
        };
        var inversion = latent.Metadata.TryGetValue(StagePayloads.InversionMetadata, out var inversionJson)
            ? JsonSerializer.Deserialize<InversionRecord>(inversionJson) : null;
        var source = new ItemSource(item.Name, item.Path, sha, item.Edits);
        var devices = new Dictionary<string, string>
        {
            ["invert"] = StagePayloads.DeviceOf(latent),
            ["diffcam"] = StagePayloads.DeviceOf(masks),
            ["deghost"] = StagePayloads.DeviceOf(final),
        };
        ItemOutputFolder.Write(dir, source, input, result, 0, pack, options, inversion, stageMs, devices);
    }

    static IReadOnlyList<string> Degenerate(StateDict masks) =>
        masks.Metadata.TryGetValue(StagePayloads.DegenerateEdits, out var list) && list.Length > 0 ? list.Split(',') : [];

    static string ContentType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" => MediaTypes.Png,
        ".jpg" or ".jpeg" => "image/jpeg",
        ".webp" => "image/webp",
        _ => MediaTypes.Binary,
    };

    static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
