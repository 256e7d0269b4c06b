using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Editing.Method;
using Pipeline.Hosting.Bus;
using Pipeline.Hosting.Telemetry;
using Pipeline.Hosting.Workers;
using Pipeline.Storage;
using Pipeline.Workers.Method;

namespace Pipeline.Workers.Invert;

/// <summary>Invert stage worker: <see cref="InvertItem"/> batches → <see cref="IInvertProcessor"/> → <see cref="ItemInverted"/>.</summary>
public sealed class InvertBatchConsumer(
    IInvertProcessor processor,
    IBlobStore blobs,
    ProcessorReadiness<IInvertProcessor> readiness,
    IOptions<BusOptions> bus,
    PipelineMetrics metrics,
    ILogger<InvertBatchConsumer> logger)
    : StageBatchConsumer<IInvertProcessor, InvertItem, InvertInput, InvertOutput, ItemInverted>(processor, blobs, readiness, bus, metrics, logger)
{
    protected override Stage Stage => Stage.Invert;

    protected override ItemKey KeyOf(InvertItem command) => new(command.JobId, command.ItemId, command.Index);

    protected override Guid ItemIdOf(InvertInput input) => input.ItemId;

    // What can be refused without the image is refused before downloading it.
    protected override void Check(InvertItem command) => EditChain.Check(JobSettings.Edits(command.Edits));

    protected override IEnumerable<BlobRef> InputsOf(InvertItem command) => [command.Source];

    protected override InvertInput InputOf(InvertItem command, BlobBatchReads inputs) =>
        new(command.ItemId, inputs.Get(command.Source), command.Edits, command.Options);

    protected override ItemInverted Announce(ItemKey key, InvertItem command, InvertInput input, InvertOutput output, StageBundle.Writer bundle)
    {
        // The next stage reads the input, the inversion and the edited images: kept adjacent, they come back in one
        // ranged read.
        var latent = bundle.Add(output.Latent.Bytes, output.Latent.MediaType);
        var fitted = bundle.Add(output.Input.Bytes, output.Input.MediaType);
        var inversion = bundle.Add(output.Inversion.Bytes, output.Inversion.MediaType);
        var edited = output.Edited.Select(payload => bundle.Add(payload.Bytes, payload.MediaType)).ToList();
        return new ItemInverted(key.JobId, key.ItemId, latent, inversion, edited, fitted, PngRender.AddAll(bundle, output.Pngs));
    }

    protected override IEnumerable<BlobRef> OutputsOf(ItemInverted completed) =>
        [completed.Latent, completed.Input, completed.Inversion, .. completed.Edited, .. completed.Pngs?.Values ?? []];
}
