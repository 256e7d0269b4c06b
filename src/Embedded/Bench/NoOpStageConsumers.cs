using MassTransit;
using Pipeline.Contracts;
using Pipeline.Hosting.Bus;

namespace Pipeline.Embedded.Bench;

/// <summary>Bench only (<c>pipeline bench coordinator</c>): stage "workers" that answer every command at once with
/// placeholder claim checks, touching neither blobs nor models, so the measured rate is the coordinator's alone.</summary>
public static class NoOpStageConsumers
{
    private static readonly BlobRef Placeholder = new("bench/no-op", new string('0', 64), 0, "application/octet-stream");

    public static void Register(IBusRegistrationConfigurator x)
    {
        x.AddConsumer<NoOpInvert, NoOpInvertDefinition>();
        x.AddConsumer<NoOpDiffCam, NoOpDiffCamDefinition>();
        x.AddConsumer<NoOpDeghost, NoOpDeghostDefinition>();
    }

    public sealed class NoOpInvert : IConsumer<InvertItem>
    {
        public Task Consume(ConsumeContext<InvertItem> context) =>
            context.Publish(new ItemInverted(context.Message.JobId, context.Message.ItemId, Placeholder, Placeholder,
                context.Message.Edits.Select(_ => Placeholder).ToList(), Placeholder));
    }

    public sealed class NoOpDiffCam : IConsumer<DiffCamItem>
    {
        public Task Consume(ConsumeContext<DiffCamItem> context) =>
            context.Publish(new ItemDiffCamCompleted(context.Message.JobId, context.Message.ItemId, Placeholder, Placeholder));
    }

    public sealed class NoOpDeghost : IConsumer<DeghostItem>
    {
        public Task Consume(ConsumeContext<DeghostItem> context) =>
            context.Publish(new ItemDeghosted(context.Message.JobId, context.Message.ItemId, Placeholder));
    }

    public sealed class NoOpInvertDefinition : ConsumerDefinition<NoOpInvert>
    {
        public NoOpInvertDefinition(QueueNames queues) => EndpointName = queues.Invert;
    }

    public sealed class NoOpDiffCamDefinition : ConsumerDefinition<NoOpDiffCam>
    {
        public NoOpDiffCamDefinition(QueueNames queues) => EndpointName = queues.DiffCam;
    }

    public sealed class NoOpDeghostDefinition : ConsumerDefinition<NoOpDeghost>
    {
        public NoOpDeghostDefinition(QueueNames queues) => EndpointName = queues.Deghost;
    }
}
