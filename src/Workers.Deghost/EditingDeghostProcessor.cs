using System.Diagnostics;
using Pipeline.Contracts.Api;
using Pipeline.Editing.Method;
using Pipeline.Hosting.Workers;
using Pipeline.Workers.Method;
using static TorchSharp.torch;

namespace Pipeline.Workers.Deghost;

/// <summary>The Deghost stage by <see cref="EditMethod.RunDeghost"/>: the coarse composites of a group of items sharing
/// job options in one pass of the deghosting network (or passed on as they are when the job switched deghosting off);
/// the final images as float stage images.</summary>
public sealed class EditingDeghostProcessor(LoadedModels loaded)
    : EditingStageProcessor<DeghostInput, EditingDeghostProcessor.Prepared, DeghostOutput>(loaded), IDeghostProcessor
{
    /// <summary>One item: its method options and its composite [1,3,S,S].</summary>
    public sealed record Prepared(DeghostInput Input, MethodOptions Options, Tensor Composite, string BatchKey) : IDisposable
    {
        public void Dispose() => Composite.Dispose();
    }

    protected override Guid ItemIdOf(DeghostInput input) => input.ItemId;

    protected override string BatchKeyOf(Prepared item) => item.BatchKey;

    protected override Prepared Prepare(DeghostInput input)
    {
        var options = JobSettings.Method(input.Options);
        var composite = StagePayloads.DecodeStageImage(input.Composite, "composite");
        var size = Models.ImageSize;
        if (composite.shape[2] != size || composite.shape[3] != size)
        {
            var message = $"the composite is {composite.shape[3]}x{composite.shape[2]}; this model pack makes {size}x{size}";
            composite.Dispose();
            throw new InvalidDataException(message);
        }
        return new Prepared(input, options, composite, JobSettings.BatchKey(input.Options));
    }

    protected override IEnumerable<ItemOutcome<DeghostOutput>> ProcessGroup(IReadOnlyList<Prepared> group)
    {
        var method = new EditMethod(Models, group[0].Options);
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        var final = method.RunDeghost(cat(group.Select(g => g.Composite).ToArray(), 0));     // [B,3,S,S]
        var milliseconds = new Dictionary<string, double> { ["deghost"] = clock.Elapsed.TotalMilliseconds / group.Count };
        var metadata = new Dictionary<string, string> { [StagePayloads.DeviceMetadata] = Models.Device.Name };
        return group.Select((g, i) => ItemOutcome<DeghostOutput>.Done(g.Input.ItemId,
            new DeghostOutput(StagePayloads.StageImage(final[i], g.Input.Options.HalfPrecisionTensors, metadata), [StagePayloads.Png(PngRoles.Final, final[i])]),
            milliseconds)).ToList();
    }
}
