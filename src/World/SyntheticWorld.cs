using Pipeline.Editing.Imaging;
using Pipeline.World.Rendering;
using Pipeline.World.Scenes;

namespace Pipeline.World;

/// <summary>The synthetic face world in one place, for in-process callers (benchmark, training): sample a scene,
/// render it, flip an attribute, read labels, compute the true change mask and the occluder mask. Thread-safe.</summary>
public sealed class SyntheticWorld(SamplingRates rates)
{
    readonly SceneSampler _sampler = new(rates);

    public SyntheticWorld() : this(SamplingRates.Default) { }

    public static IReadOnlyList<WorldAttribute> Attributes => WorldAttributes.All;

    public SceneSpec Sample(int seed, int index, WorldSplit split) => _sampler.Sample(seed, index, split);

    public RgbImage Render(SceneSpec scene, int size) => FaceRenderer.Render(scene, size);

    /// <summary>The same scene with one attribute toggled; every other factor, occluders included, is unchanged.</summary>
    public SceneSpec Flip(SceneSpec scene, string attribute) => WorldAttributes.Find(attribute).Flip(scene);

    /// <summary>Labels in <see cref="WorldAttributes.All"/> order.</summary>
    public bool[] Labels(SceneSpec scene) => WorldAttributes.All.Select(a => a.Get(scene)).ToArray();

    public bool[] ChangeMask(RgbImage before, RgbImage after) => World.ChangeMask.Compute(before, after);

    /// <summary>White where occluders cover at least half a pixel.</summary>
    public RgbImage OccluderMask(SceneSpec scene, int size) => FaceRenderer.OccluderMask(scene, size);

    /// <summary>Antialiased occluder coverage per pixel, 0 … 255; 255 = nothing behind shows through.</summary>
    public byte[] OccluderCoverage(SceneSpec scene, int size) => FaceRenderer.OccluderCoverage(scene, size);
}
