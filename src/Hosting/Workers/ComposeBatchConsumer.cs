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
        // The inversion and the edited images are slices of the invert stage's bundle: one ranged read.
        var images = await Blobs.GetManyAsync([command.Inversion, .. command.Edited], cancellationToken);
        var payloads = images.Select((bytes, i) => new Payload(bytes, i == 0 ? command.Inversion.ContentType : command.Edited[i - 1].ContentType)).ToList();
        return new DiffCamInput(command.ItemId, await source, payloads[0], payloads.Skip(1).ToArray(), command.Options, command.Edits);
    }

    protected override Task<IReadOnlyList<ItemOutcome<DiffCamOutput>>> ProcessAsync(IReadOnlyList<DiffCamInput> batch, CancellationToken cancellationToken) =>
        processor.ComposeAsync(batch, cancellationToken);

    protected override ItemComposed Announce(ItemKey key, DiffCamOutput output, StageBundle.Writer bundle) =>
        new(key.JobId, key.ItemId, bundle.Add(output.Mask.Bytes, output.Mask.MediaType), bundle.Add(output.Composite.Bytes, output.Composite.MediaType));

    protected override IEnumerable<BlobRef> OutputsOf(ItemComposed completed) => [completed.Mask, completed.Composite];
}
