namespace Pipeline.World.Scenes;

/// <summary>Every latent factor of one synthetic scene. Rendering is a pure function of this record, so an attribute
/// flip (<c>with { … }</c> on one factor) changes exactly that factor's pixels and nothing else.</summary>
/// <param name="Seed">dataset seed the scene was sampled from</param>
/// <param name="Index">scene index within that seed</param>
/// <param name="Skin">face, ears and neck colour</param>
/// <param name="BushyEyebrows">thick dark brows instead of thin ones (attribute <c>bushy_eyebrows</c>)</param>
/// <param name="Clothing">shoulders' colour</param>
/// <param name="Occluders">drawn last, in order; empty in the train split</param>
public sealed record SceneSpec(
    int Seed,
    int Index,
    WorldSplit Split,
    FaceShape Face,
    Rgb Skin,
    HairSpec Hair,
    EyeSpec Eyes,
    bool BushyEyebrows,
    MouthSpec Mouth,
    GlassesSpec Glasses,
    BeardSpec Beard,
    AgeSpec Age,
    BackgroundSpec Background,
    Rgb Clothing,
    OccluderList Occluders);
