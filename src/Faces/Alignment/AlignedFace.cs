using Pipeline.Editing.Imaging;

namespace Pipeline.Faces.Alignment;

/// <summary>An aligned face and the quad of the photo it was sampled from (what paste-back inverts).</summary>
public sealed record AlignedFace(RgbImage Image, FaceQuad SampledQuad);
