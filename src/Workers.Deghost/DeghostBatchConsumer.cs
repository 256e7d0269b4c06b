using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Hosting.Bus;
using Pipeline.Hosting.Telemetry;
using Pipeline.Hosting.Workers;
using Pipeline.Storage;

namespace Pipeline.Workers.Deghost;

/// <summary>Deghost stage worker: <see cref="DeghostItem"/> batches → <see cref="IDeghostProcessor"/> → <see cref="ItemDeghosted"/>.</summary>
public sealed class DeghostBatchConsumer(
    IDeghostProcessor processor,
    IBlobStore blobs,
    ProcessorReadiness<IDeghostProcessor> readiness,
    IOptions<BusOptions> bus,
    PipelineMetrics metrics,
    ILogger<DeghostBatchConsumer> logger)
    : StageBatchConsumer<IDeghostProcessor, DeghostItem, DeghostInput, DeghostOutput, ItemDeghosted>(processor, blobs, readiness, bus, metrics, logger)
{
    protected override Stage Stage => Stage.Deghost;

    protected override ItemKey KeyOf(DeghostItem command) => new(command.JobId, command.ItemId, command.Index);

    protected override Guid ItemIdOf(DeghostInput input) => input.ItemId;

    protected override IEnumerable<BlobRef> InputsOf(DeghostItem command) => [command.Composite];

    protected override DeghostInput InputOf(DeghostItem command, BlobBatchReads inputs) =>
        new(command.ItemId, new Payload(inputs.Get(command.Composite), command.Composite.ContentType), command.Options);

    protected override ItemDeghosted Announce(ItemKey key, DeghostItem command, DeghostInput input, DeghostOutput output, StageBundle.Writer bundle) =>
        new(key.JobId, key.ItemId, bundle.Add(output.Final.Bytes, output.Final.MediaType), PngRender.AddAll(bundle, output.Pngs));

    protected override IEnumerable<BlobRef> OutputsOf(ItemDeghosted completed) => [completed.Final, .. completed.Pngs?.Values ?? []];
}
