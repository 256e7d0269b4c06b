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

    // The input, the inversion and the edited images are adjacent slices of the invert stage's bundle, and the items of
    // one invert batch share that bundle: usually one ranged read for the batch.
    protected override IEnumerable<BlobRef> InputsOf(DiffCamItem command) => [command.Input, command.Inversion, .. command.Edited];

    protected override DiffCamInput InputOf(DiffCamItem command, BlobBatchReads inputs) =>
        new(command.ItemId, Read(inputs, command.Input), Read(inputs, command.Inversion), command.Edited.Select(blob => Read(inputs, blob)).ToArray(),
            command.Options, command.Edits);

    private static Payload Read(BlobBatchReads inputs, BlobRef blob) => new(inputs.Get(blob), blob.ContentType);

    protected override ItemDiffCamCompleted Announce(ItemKey key, DiffCamItem command, DiffCamInput input, DiffCamOutput output, StageBundle.Writer bundle) =>
        new(key.JobId, key.ItemId, bundle.Add(output.Mask.Bytes, output.Mask.MediaType), bundle.Add(output.Composite.Bytes, output.Composite.MediaType),
            PngRender.AddAll(bundle, output.Pngs));

    protected override IEnumerable<BlobRef> OutputsOf(ItemDiffCamCompleted completed) => [completed.Mask, completed.Composite, .. completed.Pngs?.Values ?? []];
}
