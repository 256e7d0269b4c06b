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
        // The source (as the invert stage carried it forward), the inversion and the edited images are adjacent slices
        // of the invert stage's bundle: one ranged read. A source outside the bundle (an older invert worker) is a
        // second request, made by the same call.
        var images = await Blobs.GetManyAsync([command.Source, command.Inversion, .. command.Edited], cancellationToken);
        var edited = command.Edited.Select((blob, i) => new Payload(images[i + 2], blob.ContentType)).ToArray();
        return new DiffCamInput(command.ItemId, images[0], new Payload(images[1], command.Inversion.ContentType), edited, command.Options, command.Edits);
    }

    protected override Task<IReadOnlyList<ItemOutcome<DiffCamOutput>>> ProcessAsync(IReadOnlyList<DiffCamInput> batch, CancellationToken cancellationToken) =>
        processor.ComposeAsync(batch, cancellationToken);

    protected override ItemComposed Announce(ItemKey key, ComposeItem command, DiffCamInput input, DiffCamOutput output, StageBundle.Writer bundle) =>
        new(key.JobId, key.ItemId, bundle.Add(output.Mask.Bytes, output.Mask.MediaType), bundle.Add(output.Composite.Bytes, output.Composite.MediaType));

    protected override IEnumerable<BlobRef> OutputsOf(ItemComposed completed) => [completed.Mask, completed.Composite];
}
