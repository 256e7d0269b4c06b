namespace Pipeline.Editing.Training;

/// <summary>The generator noise of the pairs a trainer makes.</summary>
public enum TrainingNoise
{
    /// <summary>
    /// Fresh noise for every decode, drawn from (seed, step): the reference's <c>randomize_noise=True</c> (the inversion
    /// and the edit get independent noise), but reproducible, so a resumed run makes the same pairs.
    /// </summary>
    Fresh,
    /// <summary>The generator's stored noise buffers: the inversion and the edit differ only by the edit.</summary>
    Stored,
}
