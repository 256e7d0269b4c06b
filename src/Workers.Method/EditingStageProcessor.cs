using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Hosting.Workers;

namespace Pipeline.Workers.Method;

/// <summary>
/// What every Editing-backed stage processor does with one message batch: each item is prepared alone (its payloads
/// decoded, its edit chain and job settings checked; a bad one is rejected with its reason and the rest go on), the
/// prepared items are grouped by what may share one tensor batch (same edit chain, same job options), and the stage's
/// function of <see cref="EditMethod"/> runs once per group. The model pack is the process's (<see cref="LoadedModels"/>).
/// </summary>
/// <typeparam name="TPrepared">One item's decoded inputs; disposed once the batch is done.</typeparam>
public abstract class EditingStageProcessor<TInput, TPrepared, TOutput>(LoadedModels loaded) : IStageProcessor<TInput, TOutput>
    where TPrepared : IDisposable
    where TOutput : class
{
    protected EditModels Models => loaded.Models;

    protected LoadedModels Loaded => loaded;

    public Task LoadAsync(CancellationToken cancellationToken) => Task.Run(loaded.EnsureLoaded, cancellationToken);

    public Task<IReadOnlyList<ItemOutcome<TOutput>>> ProcessAsync(IReadOnlyList<TInput> batch, CancellationToken cancellationToken) =>
        Task.Run(() => Process(batch), cancellationToken);

    protected abstract Guid ItemIdOf(TInput input);

    /// <summary>Decodes and checks one item; throws what makes it bad (an image, argument or data problem).</summary>
    protected abstract TPrepared Prepare(TInput input);

    /// <summary>Equal for items that may share one tensor batch.</summary>
    protected abstract string BatchKeyOf(TPrepared item);

    /// <summary>The stage's function of the method over a group of items with equal batch keys.</summary>
    protected abstract IEnumerable<ItemOutcome<TOutput>> ProcessGroup(IReadOnlyList<TPrepared> group);

    private IReadOnlyList<ItemOutcome<TOutput>> Process(IReadOnlyList<TInput> batch)
    {
        var outcomes = new List<ItemOutcome<TOutput>>();
        var ready = new List<TPrepared>();
        try
        {
            foreach (var input in batch)
            {
                try
                {
                    ready.Add(Prepare(input));
                }
                catch (Exception e) when (e is ImageDecodeException or ArgumentException or InvalidDataException)
                {
                    outcomes.Add(ItemOutcome<TOutput>.Rejected(ItemIdOf(input), ImageDecodeException.ReasonOf(e)));
                }
            }
            foreach (var group in ready.GroupBy(BatchKeyOf, StringComparer.Ordinal))
                outcomes.AddRange(ProcessGroup(group.ToList()));
            return outcomes;
        }
        finally
        {
            foreach (var prepared in ready)
                prepared.Dispose();
        }
    }
}
