using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Hosting.Bus;
using Pipeline.Hosting.Telemetry;
using Pipeline.Storage;

namespace Pipeline.Hosting.Workers;

/// <summary>The claim-check loop every stage shares, for one batch of stage commands:
/// <list type="number">
/// <item>wait until the processor has loaded;</item>
/// <item>when a worker stopped while holding some of the batch: run its items one at a time and refuse an item that
///   stopped a worker too often (<see cref="PoisonMessages"/>);</item>
/// <item>per item that may have been handled before (<see cref="StageCommandHeaders.MayHaveBeenHandled"/>: resent,
///   redelivered or retried), reuse the outputs when a stored bundle of this stage holds the item and every output in
///   it still hashes right (acknowledged without recomputing);</item>
/// <item>download and verify the whole batch's inputs with as few requests as their layout allows
///   (<see cref="BlobBatchReads"/>: usually one ranged read per bundle of the stage before); an unusable input
///   rejects that item only;</item>
/// <item>one processor call for the rest; an item that makes the batch throw is isolated by retrying one by one;</item>
/// <item>write the outputs of the batch's items of one job, and the events announcing them, as one stage bundle named
///   by their indices (<see cref="StageBundle"/>, <see cref="BlobNames.Bundle(Guid, Stage, IReadOnlyCollection{int})"/>;
///   a stored bundle is never replaced by another one), then publish each item's event of what is stored, with where
///   the item's time went in a header (<see cref="StageTimingHeader"/>).</item>
/// </list>
/// One write and one read per stage and batch instead of per item: a store charges per request (Azure's
/// transactions) or spends CPU on each (Azurite beside the workers; docs/benchmarks.md measures it).
/// An exception escaping <see cref="Consume"/> fails the whole batch: MassTransit retries it, redelivers it, and
/// finally moves the messages to the error queue and publishes <see cref="Fault{T}"/>, which fails the items.
/// Each item gets its own span in its own trace (<see cref="ItemTrace"/>; MassTransit's consume activity covers the
/// whole batch and is linked), its events are published under that span, and its log lines carry its ids
/// (<see cref="ItemLogScope"/>).</summary>
public abstract class StageBatchConsumer<TProcessor, TCommand, TInput, TOutput, TEvent>(
    TProcessor processor,
    IBlobStore blobs,
    ProcessorReadiness<TProcessor> readiness,
    IOptions<BusOptions> bus,
    PipelineMetrics metrics,
    ILogger logger) : IConsumer<Batch<TCommand>>
    where TProcessor : IStageProcessor<TInput, TOutput>
    where TCommand : class
    where TOutput : class
    where TEvent : class
{
    private static readonly JsonSerializerOptions ManifestJson = new(JsonSerializerDefaults.Web);

    protected abstract Stage Stage { get; }

    protected abstract ItemKey KeyOf(TCommand command);

    protected abstract Guid ItemIdOf(TInput input);

    /// <summary>Refuses, by throwing an item fault (<see cref="ItemFaults"/>), what can be refused before reading anything.</summary>
    protected virtual void Check(TCommand command)
    {
    }

    /// <summary>The stored payloads the item's input is made of (read for the whole batch at once).</summary>
    protected abstract IEnumerable<BlobRef> InputsOf(TCommand command);

    /// <summary>The item's input from its payloads in <paramref name="inputs"/>; throws an item fault for a bad item.</summary>
    protected abstract TInput InputOf(TCommand command, BlobBatchReads inputs);

    /// <summary>Adds the outputs to the item's bundle and returns the event that announces them. The command and the
    /// loaded input are there for a stage that carries an input forward in its bundle.</summary>
    protected abstract TEvent Announce(ItemKey key, TCommand command, TInput input, TOutput output, StageBundle.Writer bundle);

    protected abstract IEnumerable<BlobRef> OutputsOf(TEvent completed);

    public async Task Consume(ConsumeContext<Batch<TCommand>> context)
    {
        var cancellationToken = context.CancellationToken;
        await readiness.WaitAsync(cancellationToken);

        var seen = new HashSet<Guid>();
        var retried = StageCommandHeaders.MayHaveBeenHandled(context);
        var commands = context.Message.Where(m => seen.Add(KeyOf(m.Message).ItemId))
            .Select(m => new Delivery(m.Message, retried || StageCommandHeaders.MayHaveBeenHandled(m), PoisonMessages.EarlierDeliveries(m),
                ItemTrace.Of(m), m.SentTime))
            .ToList();
        if (commands.Count == 0)
            return;
        if (commands.All(c => c.EarlierDeliveries == 0))
        {
            await RunAsync(context, commands, cancellationToken);
            return;
        }
        // A worker stopped while holding some of these: each runs on its own, those delivered fewest times first,
        // stored and announced before the next starts, so that whatever stops this worker too stops it alone
        // (see PoisonMessages).
        foreach (var one in commands.OrderBy(c => c.EarlierDeliveries))
            await RunSuspectAsync(context, one, cancellationToken);
    }

    private async Task RunSuspectAsync(ConsumeContext context, Delivery delivery, CancellationToken cancellationToken)
    {
        var key = KeyOf(delivery.Command);
        if (delivery.EarlierDeliveries == 0)
        {
            await RunAsync(context, [delivery], cancellationToken);
            return;
        }
        var started = Stopwatch.StartNew();
        if (await TryReuseAsync(key, cancellationToken) is { } reused)
        {
            logger.LogInformation("{Stage} item {ItemId}: outputs already stored, not recomputing", Stage, key.ItemId);
            await context.Publish(reused, cancellationToken);
            metrics.StageCompleted(Stage, started.Elapsed.TotalSeconds);
            return;
        }
        var runs = await PoisonMessages.SoloRunsAsync(blobs, key, Stage, cancellationToken);
        if (runs >= bus.Value.PoisonRuns)
        {
            await RejectAsync(context, key, PoisonMessages.Reason(Stage, runs), ReasonClasses.Poison, cancellationToken);
            return;
        }
        await PoisonMessages.RecordSoloRunAsync(blobs, key, Stage, runs + 1, cancellationToken);
        await RunAsync(context, [delivery with { MayBeDone = false }], cancellationToken);
    }

    /// <param name="SentTime">When the coordinator sent the command (UTC), for the item's queue time.</param>
    private sealed record Delivery(TCommand Command, bool MayBeDone, long EarlierDeliveries, string? TraceParent, DateTime? SentTime);

    /// <summary>An item whose inputs are loaded, with the wall time that took.</summary>
    private sealed record Loaded(ItemKey Key, Delivery Delivery, TInput Input, double InputsMs)
    {
        public TCommand Command => Delivery.Command;
    }

    /// <summary>One item's entry in a bundle's manifest: which item, and the event that announced its outputs.</summary>
    private sealed record BundleEntry(int Index, Guid ItemId, TEvent Completed);

    private async Task RunAsync(ConsumeContext context, List<Delivery> commands, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var batch = Activity.Current is { } consume ? new[] { new ActivityLink(consume.Context) } : null;
        var spans = commands.ToDictionary(c => KeyOf(c.Command).ItemId, c =>
        {
            var span = ItemTrace.StartSpan($"{ItemTrace.StageName(Stage)} item", ActivityKind.Consumer, KeyOf(c.Command), c.TraceParent, Stage, batch);
            span?.SetTag(TelemetryTags.BatchSize, commands.Count);
            return span;
        });
        try
        {
            await RunAsync(context, commands, spans, started, cancellationToken);
        }
        catch (Exception e)
        {
            // The batch goes back to MassTransit's retry; the exception's type, not its message (which may name
            // storage addresses), goes on the spans.
            foreach (var span in spans.Values.Where(s => s is { IsStopped: false }))
                ItemTrace.End(span, ItemOutcomes.Failed, e.GetType().Name);
            throw;
        }
    }

    private async Task RunAsync(ConsumeContext context, List<Delivery> commands, Dictionary<Guid, Activity?> spans, Stopwatch started,
        CancellationToken cancellationToken)
    {
        var startedAt = DateTime.UtcNow - started.Elapsed;
        var pending = (await Task.WhenAll(commands.Select(c => ScreenAsync(context, c, spans[KeyOf(c.Command).ItemId], started, cancellationToken))))
            .OfType<Delivery>().ToList();
        if (pending.Count == 0)
            return;
        var inputs = await BlobBatchReads.ReadAsync(blobs, pending.SelectMany(d => InputsOf(d.Command)), cancellationToken);
        var work = new List<Loaded>(pending.Count);
        foreach (var delivery in pending)
        {
            if (await LoadItemAsync(context, delivery, inputs, spans[KeyOf(delivery.Command).ItemId], started, cancellationToken) is { } loaded)
                work.Add(loaded);
        }
        if (work.Count == 0)
            return;

        metrics.Batch(Stage, work.Count);
        var loadedAt = started.Elapsed;
        var outcomes = await ProcessIsolatedAsync(work.Select(w => w.Input).ToList(), cancellationToken);
        var processed = started.Elapsed;
        var computeMs = (processed - loadedAt).TotalMilliseconds;
        var done = new List<Loaded>(work.Count);
        foreach (var w in work)
        {
            var outcome = outcomes[w.Key.ItemId];
            if (outcome.IsRejected)
            {
                using var scope = ItemLogScope.Begin(logger, Stage, w.Key);
                await RejectAsync(context, w.Key, outcome.RejectionReason!, ReasonClasses.Processor, cancellationToken);
                ItemTrace.End(spans[w.Key.ItemId], ItemOutcomes.Rejected, FailureReasons.WithoutPaths(outcome.RejectionReason!));
                continue;
            }
            if (outcome.Milliseconds is { Count: > 0 } milliseconds)
                logger.LogInformation("{Stage} item {ItemId}: {Milliseconds}", Stage, w.Key.ItemId,
                    string.Join(", ", milliseconds.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:0.#} ms"))));
            done.Add(w);
        }
        // One bundle per job among the batch's items (blobs live in their job's folder), in index order so that the
        // same items computed again make the same bytes under the same name.
        var bundles = done.GroupBy(w => w.Key.JobId)
            .SelectMany(job => job.OrderBy(w => w.Key.Index).Chunk(BlobNames.MaxItemsPerBundle));
        await Task.WhenAll(bundles.Select(async items =>
        {
            var storing = Stopwatch.StartNew();
            var announced = await StoreAsync(items, outcomes, cancellationToken);
            var outputsMs = storing.Elapsed.TotalMilliseconds;
            await Task.WhenAll(items.Select(async (w, i) =>
            {
                using var scope = ItemLogScope.Begin(logger, Stage, w.Key);
                var span = spans[w.Key.ItemId];
                Activity.Current = span ?? Activity.Current;
                var timing = TimingOf(w, startedAt, computeMs, work.Count, outputsMs);
                await context.Publish(announced[i], publish =>
                {
                    if (timing is not null)
                        StageTimingHeader.Set(publish, timing);
                }, cancellationToken);
                metrics.StageCompleted(Stage, started.Elapsed.TotalSeconds);
                ItemTrace.End(span, ItemOutcomes.Completed);
            }));
        }));
        // Where a batch's time goes (inputs from storage, the processor, outputs to storage): what to look at first
        // when the distributed run is slower than the embedded one.
        logger.LogInformation("{Stage} batch of {Count} done in {Total:0} ms (inputs {Inputs:0} ms, processor {Processor:0} ms, outputs {Outputs:0} ms)",
            Stage, work.Count, started.Elapsed.TotalMilliseconds, loadedAt.TotalMilliseconds, (processed - loadedAt).TotalMilliseconds,
            (started.Elapsed - processed).TotalMilliseconds);
    }

    /// <summary>The item's share of the batch's time; none when the command carries no send time. The queue time runs
    /// from the send to this batch's start, so it holds the broker queue, the batch wait and the processor's loading.</summary>
    private static StageTiming? TimingOf(Loaded item, DateTime startedAt, double computeMs, int batchSize, double outputsMs) =>
        item.Delivery.SentTime is { } sent
            ? new StageTiming((startedAt - sent).TotalMilliseconds, item.InputsMs, computeMs, batchSize, outputsMs, ReportMs: 0)
            : null;

    /// <summary>Writes the bundle of <paramref name="items"/> (one job's, in index order) unless it is stored already, and
    /// returns the events, in the items' order, that match what is stored. Outputs are a function of the inputs, so
    /// another copy of the same batch (redelivered, or resent while this one ran) stored the same bytes. Where they
    /// differ (noise drawn afresh), the first stored bundle is kept and its events announced: the hashes an event
    /// already gave the coordinator must stay true of the stored bytes. A stored bundle that is damaged is replaced.</summary>
    private async Task<IReadOnlyList<TEvent>> StoreAsync(Loaded[] items, Dictionary<Guid, ItemOutcome<TOutput>> outcomes,
        CancellationToken cancellationToken)
    {
        var bundle = new StageBundle.Writer(BlobNames.Bundle(items[0].Key.JobId, Stage, items.Select(w => w.Key.Index).ToList()));
        var entries = items.Select(w => new BundleEntry(w.Key.Index, w.Key.ItemId,
            Announce(w.Key, w.Command, w.Input, outcomes[w.Key.ItemId].Output!, bundle))).ToList();
        var bytes = bundle.Build(JsonSerializer.SerializeToUtf8Bytes(entries, ManifestJson));
        var stored = await blobs.PutIfAbsentAsync(bundle.Name, bytes, StageBundle.ContentType, cancellationToken);
        if (stored.Written || stored.Blob.Sha256 == Sha256Hex.Of(bytes))
        {
            if (!stored.Written)
                logger.LogDebug("{Blob} already holds these bytes; not rewritten", bundle.Name);
            return entries.Select(e => e.Completed).ToList();
        }
        if (await TryReadBundleAsync(stored.Blob, cancellationToken) is { } first
            && items.Select(w => first.Find(e => e.Index == w.Key.Index && e.ItemId == w.Key.ItemId)).ToList() is var kept
            && kept.All(e => e is not null))
        {
            logger.LogWarning("{Stage}: {Blob} already holds other outputs (another copy of these commands computed them); " +
                              "keeping those and announcing them", Stage, bundle.Name);
            return kept.Select(e => e!.Completed).ToList();
        }
        await blobs.PutAsync(bundle.Name, bytes, StageBundle.ContentType, cancellationToken);
        return entries.Select(e => e.Completed).ToList();
    }

    /// <summary>The delivery, or null when the item is done already (its stored event is published again) or refused
    /// before anything is read.</summary>
    private async Task<Delivery?> ScreenAsync(ConsumeContext context, Delivery delivery, Activity? span, Stopwatch started,
        CancellationToken cancellationToken)
    {
        var key = KeyOf(delivery.Command);
        using var scope = ItemLogScope.Begin(logger, Stage, key);
        Activity.Current = span ?? Activity.Current;
        if (delivery.MayBeDone && await TryReuseAsync(key, cancellationToken) is { } reused)
        {
            logger.LogInformation("{Stage} item {ItemId}: outputs already stored, not recomputing", Stage, key.ItemId);
            await context.Publish(reused, cancellationToken);
            metrics.StageCompleted(Stage, started.Elapsed.TotalSeconds);
            ItemTrace.End(span, ItemOutcomes.Reused);
            return null;
        }
        return await TryItemAsync(context, key, span, () => Check(delivery.Command), cancellationToken) ? delivery : null;
    }

    /// <summary>One item's input from the batch's reads, or null when the item is rejected for a bad input.</summary>
    private async Task<Loaded?> LoadItemAsync(ConsumeContext context, Delivery delivery, BlobBatchReads inputs, Activity? span, Stopwatch started,
        CancellationToken cancellationToken)
    {
        var key = KeyOf(delivery.Command);
        using var scope = ItemLogScope.Begin(logger, Stage, key);
        TInput? input = default;
        return await TryItemAsync(context, key, span, () => input = InputOf(delivery.Command, inputs), cancellationToken)
            ? new Loaded(key, delivery, input!, started.Elapsed.TotalMilliseconds)
            : null;
    }

    /// <summary>Runs <paramref name="step"/>; an item fault or an unusable stored input rejects the item (false).</summary>
    private async Task<bool> TryItemAsync(ConsumeContext context, ItemKey key, Activity? span, Action step, CancellationToken cancellationToken)
    {
        try
        {
            step();
            return true;
        }
        catch (Exception e) when (ItemFaults.IsItemFault(e) || e is BlobNotFoundException or BlobIntegrityException)
        {
            var reason = InputProblem(e);
            await RejectAsync(context, key, reason, ReasonClasses.Input, cancellationToken);
            ItemTrace.End(span, ItemOutcomes.Rejected, FailureReasons.WithoutPaths(reason));
            return false;
        }
    }

    /// <summary>The stored event of the item, from a bundle of this stage that holds it and whose outputs still hash
    /// right; null when there is none. Bundles are found by listing the job's stage folder: this runs only for commands
    /// that may have been handled before.</summary>
    private async Task<TEvent?> TryReuseAsync(ItemKey key, CancellationToken cancellationToken)
    {
        var names = await blobs.ListAsync(BlobNames.BundleFolder(key.JobId, Stage), cancellationToken);
        foreach (var name in names.Where(n => BlobNames.IndicesOfBundle(n).Contains(key.Index)))
        {
            if (await blobs.TryGetRefAsync(name, cancellationToken) is { } bundleRef
                && await TryReadBundleAsync(bundleRef, cancellationToken) is { } entries
                && entries.Find(e => e.Index == key.Index && e.ItemId == key.ItemId) is { } entry)
                return entry.Completed;
        }
        return null;
    }

    /// <summary>The manifest of a stored bundle, or null (logged) when the bundle is unusable: gone, not a bundle, or
    /// with an output that points outside it or no longer hashes right.</summary>
    private async Task<List<BundleEntry>?> TryReadBundleAsync(BlobRef bundleRef, CancellationToken cancellationToken)
    {
        try
        {
            var bundle = await blobs.GetAsync(bundleRef, cancellationToken);
            if (!StageBundle.TryReadManifest(bundle, out var manifest))
                throw new InvalidDataException("the bundle has no manifest trailer");
            var entries = JsonSerializer.Deserialize<List<BundleEntry>>(manifest.Span, ManifestJson) ?? throw new JsonException("empty manifest");
            var payloadLength = StageBundle.PayloadLength(bundle, manifest);
            foreach (var output in entries.SelectMany(e => OutputsOf(e.Completed)))
            {
                if (output.Name != bundleRef.Name || output.Offset is not { } offset || offset + output.Length > payloadLength)
                    throw new InvalidDataException($"the manifest points outside the bundle ({output.Name} at {output.Offset})");
                BlobSlices.Slice(output, bundle, 0);
            }
            return entries;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or BlobNotFoundException or BlobIntegrityException)
        {
            logger.LogWarning("{Stage}: stored outputs in {Blob} unusable ({Reason}); recomputing", Stage, bundleRef.Name, e.Message);
            return null;
        }
    }

    private async Task<Dictionary<Guid, ItemOutcome<TOutput>>> ProcessIsolatedAsync(List<TInput> inputs, CancellationToken cancellationToken)
    {
        try
        {
            return Match(inputs, await processor.ProcessAsync(inputs, cancellationToken));
        }
        catch (Exception e) when (inputs.Count == 1 && ItemFaults.IsItemFault(e))
        {
            return new() { [ItemIdOf(inputs[0])] = ItemOutcome<TOutput>.Rejected(ItemIdOf(inputs[0]), e.Message) };
        }
        catch (Exception e) when (inputs.Count > 1 && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("{Stage} batch of {Count} failed ({Reason}); running its items one by one to find the cause",
                Stage, inputs.Count, e.Message);
            var outcomes = new Dictionary<Guid, ItemOutcome<TOutput>>();
            foreach (var input in inputs)
            {
                foreach (var (itemId, outcome) in await ProcessIsolatedAsync([input], cancellationToken))
                    outcomes[itemId] = outcome;
            }
            return outcomes;
        }
    }

    private Dictionary<Guid, ItemOutcome<TOutput>> Match(List<TInput> inputs, IReadOnlyList<ItemOutcome<TOutput>> outcomes)
    {
        var byItem = new Dictionary<Guid, ItemOutcome<TOutput>>();
        foreach (var outcome in outcomes)
        {
            if (!byItem.TryAdd(outcome.ItemId, outcome))
                throw new InvalidOperationException($"{Stage} processor returned two outcomes for item {outcome.ItemId}");
            if (outcome.Output is null && outcome.RejectionReason is null)
                throw new InvalidOperationException($"{Stage} processor returned neither an output nor a reason for item {outcome.ItemId}");
        }
        var missing = inputs.Select(ItemIdOf).Where(id => !byItem.ContainsKey(id)).ToList();
        if (missing.Count > 0 || byItem.Count != inputs.Count)
            throw new InvalidOperationException($"{Stage} processor returned {byItem.Count} outcomes for {inputs.Count} items (missing: {string.Join(", ", missing)})");
        return byItem;
    }

    private async Task RejectAsync(ConsumeContext context, ItemKey key, string reason, string reasonClass, CancellationToken cancellationToken)
    {
        logger.LogWarning("{Stage} item {ItemId} rejected: {Reason}", Stage, key.ItemId, reason);
        metrics.StageFailed(Stage, reasonClass);
        await context.Publish(new ItemRejected(key.JobId, key.ItemId, Stage, FailureReasons.WithoutPaths(reason)), cancellationToken);
    }

    private static string InputProblem(Exception e) => e switch
    {
        BlobNotFoundException missing => $"an input of this stage is missing from storage ({missing.Name})",
        BlobIntegrityException corrupt => $"an input of this stage is damaged in storage: {corrupt.Message}",
        _ => e.Message,
    };
}
