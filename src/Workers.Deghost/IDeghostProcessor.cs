using Pipeline.Contracts;
using Pipeline.Hosting.Workers;

namespace Pipeline.Workers.Deghost;

/// <summary>The Deghost stage: coarse composite F → final image.</summary>
public interface IDeghostProcessor : IStageProcessor<DeghostInput, DeghostOutput>;

/// <summary>One item for <see cref="IDeghostProcessor"/>.</summary>
public sealed record DeghostInput(Guid ItemId, Payload Composite, JobOptions Options);

/// <summary>The final image (a float stage image) and its 8-bit render.</summary>
public sealed record DeghostOutput(Payload Final, IReadOnlyList<PngRender> Pngs);
