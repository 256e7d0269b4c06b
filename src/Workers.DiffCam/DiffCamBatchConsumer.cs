using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Hosting.Bus;
using Pipeline.Hosting.Telemetry;
using Pipeline.Hosting.Workers;
using Pipeline.Storage;

namespace Pipeline.Workers.DiffCam;

/// <summary>DiffCam stage worker: <see cref="DiffCamItem"/> batches → <see cref="IDiffCamProcessor"/> → <see cref="ItemDiffCamCompleted"/>.</summary>
public sealed class DiffCamBatchConsumer(
    IDiffCamProcessor processor,
    IBlobStore blobs,
    ProcessorReadiness<IDiffCamProcessor> readiness,
    IOptions<BusOptions> bus,
    PipelineMetrics metrics,
    ILogger<DiffCamBatchConsumer> logger)
    : StageBatchConsumer<IDiffCamProcessor, DiffCamItem, DiffCamInput, DiffCamOutput, ItemDiffCamCompleted>(processor, blobs, readiness, bus, metrics, logger)
{
    protected override Stage Stage => Stage.DiffCam;

    protected override ItemKey KeyOf(DiffCamItem command) => new(command.JobId, command.ItemId, command.Index);

    protected override Guid ItemIdOf(DiffCamInput input) => input.ItemId;

    protected override async Task<DiffCamInput> LoadInputAsync(DiffCamItem command, CancellationToken cancellationToken)
    {
        // The input, the inversion and the edited images are adjacent slices of the invert stage's bundle: one ranged read.
        var images = await Blobs.GetManyAsync([command.Input, command.Inversion, .. command.Edited], cancellationToken);
        var edited = command.Edited.Select((blob, i) => new Payload(images[i + 2], blob.ContentType)).ToArray();
        return new DiffCamInput(command.ItemId, new Payload(images[0], command.Input.ContentType), new Payload(images[1], command.Inversion.ContentType),
            edited, command.Options, command.Edits);
    }

    protected override ItemDiffCamCompleted Announce(ItemKey key, DiffCamItem command, DiffCamInput input, DiffCamOutput output, StageBundle.Writer bundle) =>
        new(key.JobId, key.ItemId, bundle.Add(output.Mask.Bytes, output.Mask.MediaType), bundle.Add(output.Composite.Bytes, output.Composite.MediaType),
            PngRender.AddAll(bundle, output.Pngs));

    protected override IEnumerable<BlobRef> OutputsOf(ItemDiffCamCompleted completed) => [completed.Mask, completed.Composite, .. completed.Pngs?.Values ?? []];
}
