using Microsoft.Extensions.Logging;
using Pipeline.Contracts;
using Pipeline.Storage;
using Pipeline.Workers;

namespace Pipeline.Hosting.Workers;

/// <summary>Invert stage worker: <see cref="InvertItem"/> batches → <see cref="IInvertProcessor"/> → <see cref="ItemInverted"/>.</summary>
public sealed class InvertBatchConsumer(
    IInvertProcessor processor,
    IBlobStore blobs,
    ProcessorReadiness<IInvertProcessor> readiness,
    ILogger<InvertBatchConsumer> logger)
    : StageBatchConsumer<IInvertProcessor, InvertItem, InvertInput, InvertOutput, ItemInverted>(blobs, readiness, logger)
{
    protected override Stage Stage => Stage.Invert;

    protected override ItemKey KeyOf(InvertItem command) => new(command.JobId, command.ItemId, command.Index);

    protected override Guid ItemIdOf(InvertInput input) => input.ItemId;

    protected override async Task<InvertInput> LoadInputAsync(InvertItem command, CancellationToken cancellationToken)
    {
        EditChain.Validate(command.Edits);
        var source = await Blobs.GetAsync(command.Source, cancellationToken);
        return new InvertInput(command.ItemId, source, command.Edits, command.Options);
    }

    protected override Task<IReadOnlyList<ItemOutcome<InvertOutput>>> ProcessAsync(IReadOnlyList<InvertInput> batch, CancellationToken cancellationToken) =>
        processor.InvertAsync(batch, cancellationToken);

    protected override ItemInverted Announce(ItemKey key, InvertItem command, InvertInput input, InvertOutput output, StageBundle.Writer bundle)
    {
        // The next stage reads the source, the inversion and the edited images: kept adjacent, they come back in one
        // ranged read. The source is carried forward as uploaded (bytes already in hand), which saves that stage a
        // second request to storage per item.
        var latent = bundle.Add(output.Latent.Bytes, output.Latent.MediaType);
        var source = bundle.Add(input.Source, command.Source.ContentType);
        var inversion = bundle.Add(output.Inversion.Bytes, output.Inversion.MediaType);
        var edited = output.Edited.Select(payload => bundle.Add(payload.Bytes, payload.MediaType)).ToList();
        return new ItemInverted(key.JobId, key.ItemId, latent, inversion, edited, source);
    }

    protected override IEnumerable<BlobRef> OutputsOf(ItemInverted completed) =>
        completed.Source is null ? [completed.Latent, completed.Inversion, .. completed.Edited] : [completed.Latent, completed.Source, completed.Inversion, .. completed.Edited];
}
