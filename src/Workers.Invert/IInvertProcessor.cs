using Pipeline.Contracts;
using Pipeline.Hosting.Workers;

namespace Pipeline.Workers.Invert;

/// <summary>The Invert stage: image → its fitted input, W+ latent, inversion image and edited images T_1..T_r (one per
/// edit, applied in order).</summary>
public interface IInvertProcessor : IStageProcessor<InvertInput, InvertOutput>;

/// <summary>One item for <see cref="IInvertProcessor"/>: the source image as uploaded (PNG/JPEG bytes).</summary>
public sealed record InvertInput(Guid ItemId, ReadOnlyMemory<byte> Source, IReadOnlyList<EditSpec> Edits, JobOptions Options);

/// <summary>Result of the Invert stage: <see cref="Input"/> is the source decoded and fitted to the pack's size (what
/// the later stages and the client use as the input), <see cref="Edited"/> holds one image per edit, in edit order;
/// <see cref="Pngs"/> are 8-bit renders of the input, the inversion and the edited images.</summary>
public sealed record InvertOutput(Payload Latent, Payload Input, Payload Inversion, IReadOnlyList<Payload> Edited, IReadOnlyList<PngRender> Pngs);
