namespace Pipeline.Editing.Training;

/// <summary>
/// <c>pipeline train da</c> (official <c>trainerDA.py</c>): the DiffCam classifier learns which of the pack's
/// directions turned an inversion into its edit.
/// </summary>
public sealed record DaTrainingOptions
{
    /// <summary>The official trainer: Adam(1e-4, (0.9, 0.99)), batch 6, 1000 steps, eval and save every 50.</summary>
    public static TrainingOptions OfficialTraining(string outDir) => new() { OutDir = outDir, BatchSize = 6, Steps = 1000, CheckpointEvery = 50, EvalEvery = 50, SampleEvery = 50 };

    /// <summary>The official held-out count (<c>eval_num</c>).</summary>
    public const int OfficialEvalCount = 50;

    public required TrainingOptions Training { get; init; }

    /// <summary>Images whose pSp inversions are the prior; null samples latents (z → mapping → W repeated as W+) instead.</summary>
    public string? DataDir { get; init; }

    /// <summary>The directions to train on (names in the pack); null is all of them.</summary>
    public IReadOnlyList<string>? Directions { get; init; }

    /// <summary>Initial DiffCam weights: <c>scratch</c>, <c>pack</c> (the pack's diffcam file) or a DiffCam state-dict file.</summary>
    public string Init { get; init; } = "pack";

    /// <summary>The α of every edit (latent + α·n); null uses each direction's unit strength (the official α = 20).</summary>
    public double? Alpha { get; init; }

    /// <summary>Held-out items: the first images of the folder (not trained on), or as many sampled latents.</summary>
    public int EvalCount { get; init; } = OfficialEvalCount;

    /// <summary>Rows of the sample grid (inversion | edit | Diff-CAM mask).</summary>
    public int SampleCount { get; init; } = 4;

    public TrainingNoise Noise { get; init; } = TrainingNoise.Fresh;

    /// <summary>A direction of the pack the DA module was not trained on: it gets a new class and only the head
    /// (<c>fc</c>) learns, on it and the trained directions (<see cref="DaHeadExtension"/>).</summary>
    public string? AddDirection { get; init; }
}
