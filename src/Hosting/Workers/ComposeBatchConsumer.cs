using Microsoft.Extensions.Logging;
using Pipeline.Contracts;
using Pipeline.Storage;
using Pipeline.Workers;

namespace Pipeline.Hosting.Workers;

/// <summary>DiffCam stage worker: <see cref="ComposeItem"/> batches → <see cref="IDiffCamProcessor"/> → <see cref="ItemComposed"/>.</summary>
public sealed class ComposeBatchConsumer(
    IDiffCamProcessor processor,
    IBlobStore blobs,
    ProcessorReadiness<IDiffCamProcessor> readiness,
    ILogger<ComposeBatchConsumer> logger)
    : StageBatchConsumer<IDiffCamProcessor, ComposeItem, DiffCamInput, DiffCamOutput, ItemComposed>(blobs, readiness, logger)
{
    protected override Stage Stage => Stage.DiffCam;

    protected override ItemKey KeyOf(ComposeItem command) => new(command.JobId, command.ItemId, command.Index);

    protected override Guid ItemIdOf(DiffCamInput input) => input.ItemId;

    protected override async Task<DiffCamInput> LoadInputAsync(ComposeItem command, CancellationToken cancellationToken)
    {
        var source = Blobs.GetAsync(command.Source, cancellationToken);
        var inversion = LoadPayloadAsync(command.Inversion, cancellationToken);
        var edited = Task.WhenAll(command.Edited.Select(blob => LoadPayloadAsync(blob, cancellationToken)));
        return new DiffCamInput(command.ItemId, await source, await inversion, await edited, command.Options, command.Edits);
    }

    protected override Task<IReadOnlyList<ItemOutcome<DiffCamOutput>>> ProcessAsync(IReadOnlyList<DiffCamInput> batch, CancellationToken cancellationToken) =>
        processor.ComposeAsync(batch, cancellationToken);

    protected override async Task<ItemComposed> StoreAsync(ItemKey key, DiffCamOutput output, CancellationToken cancellationToken)
    {
        var mask = StorePayloadAsync(key, "mask", output.Mask, cancellationToken);
        var composite = StorePayloadAsync(key, "composite", output.Composite, cancellationToken);
        return new ItemComposed(key.JobId, key.ItemId, await mask, await composite);
    }

    protected override IEnumerable<BlobRef> OutputsOf(ItemComposed completed) => [completed.Mask, completed.Composite];

    private async Task<Payload> LoadPayloadAsync(BlobRef blob, CancellationToken cancellationToken) =>
        new(await Blobs.GetAsync(blob, cancellationToken), blob.ContentType);
}
