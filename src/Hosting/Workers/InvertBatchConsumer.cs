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

    protected override async Task<ItemInverted> StoreAsync(ItemKey key, InvertOutput output, CancellationToken cancellationToken)
    {
        // Independent blobs: written concurrently (remote stores answer each request in a round trip).
        var latent = StorePayloadAsync(key, "latent", output.Latent, cancellationToken);
        var inversion = StorePayloadAsync(key, "inversion", output.Inversion, cancellationToken);
        var edited = output.Edited.Select((payload, step) => StorePayloadAsync(key, $"edited-{step + 1:D2}", payload, cancellationToken)).ToList();
        return new ItemInverted(key.JobId, key.ItemId, await latent, await inversion, await Task.WhenAll(edited));
    }

    protected override IEnumerable<BlobRef> OutputsOf(ItemInverted completed) => [completed.Latent, completed.Inversion, .. completed.Edited];
}
