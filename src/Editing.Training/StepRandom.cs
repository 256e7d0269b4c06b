using static TorchSharp.torch;

namespace Pipeline.Editing.Training;

/// <summary>
/// Randomness derived from (seed, step, stream) alone, so a run resumed at step k draws exactly what an uninterrupted
/// run drew at step k — no generator state has to be checkpointed.
/// </summary>
public static class StepRandom
{
    /// <summary>A CPU torch generator for this step and stream (stream separates e.g. data order from noise).</summary>
    public static Generator Torch(long seed, long step, int stream = 0) => new Generator((ulong)Mix(seed, step, stream));

    /// <summary>A .NET random for this step and stream (index choices, augmentations).</summary>
    public static Random Dotnet(long seed, long step, int stream = 0) => new((int)(Mix(seed, step, stream) & 0x7fffffff));

    static long Mix(long seed, long step, int stream)
    {
        // SplitMix64 over the three numbers: neighbouring steps get unrelated seeds.
        ulong z = (ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)step * 0xBF58476D1CE4E5B9UL ^ (ulong)stream * 0x94D049BB133111EBUL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (long)(z ^ (z >> 31));
    }
}
