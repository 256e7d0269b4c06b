using Pipeline.World.Scenes;

namespace Pipeline.World.Dataset;

/// <summary>What <c>pipeline synth</c> writes.</summary>
/// <param name="Threads">parallel renders (≥ 1)</param>
public sealed record DatasetRequest(string OutputDirectory, WorldSplit Split, int Count, int Size, int Seed, int Threads);
