namespace Pipeline.Editing.Training;

/// <summary>
/// Which items form the batch of a step: epochs of <c>⌊count / batch⌋</c> full batches (the loaders' <c>drop_last</c>),
/// each epoch in its own seeded permutation when shuffling (DA: <c>shuffle=True</c>) or in file order (Deghosting:
/// <c>shuffle=False</c>). A function of the step alone, so a resumed run draws the same batches.
/// </summary>
public sealed class BatchOrder
{
    const int ShuffleStream = 101;

    readonly int _count;
    readonly int _batch;
    readonly bool _shuffle;
    readonly long _seed;

    public BatchOrder(int count, int batch, bool shuffle, long seed)
    {
        if (batch < 1) throw new ArgumentException($"batch size must be at least 1, got {batch}");
        if (count < batch) throw new ArgumentException($"{count} training item(s) cannot fill one batch of {batch}");
        (_count, _batch, _shuffle, _seed) = (count, batch, shuffle, seed);
    }

    public int BatchesPerEpoch => _count / _batch;

    /// <summary>Item indices of 1-based step <paramref name="step"/>.</summary>
    public int[] At(long step)
    {
        long epoch = (step - 1) / BatchesPerEpoch;
        int within = (int)((step - 1) % BatchesPerEpoch);
        var order = Enumerable.Range(0, _count).ToArray();
        if (_shuffle) StepRandom.Dotnet(_seed, epoch, ShuffleStream).Shuffle(order);
        return order.AsSpan(within * _batch, _batch).ToArray();
    }
}
