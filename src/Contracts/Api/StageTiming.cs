namespace Pipeline.Contracts.Api;

/// <summary>Where one item's time went in one stage, in milliseconds, as the pipeline measured it:
/// <paramref name="QueueMs"/> from the coordinator sending the stage command to the worker starting on it (broker queue,
/// batch wait, processor readiness); <paramref name="InputsMs"/> reading and checking the item's inputs from storage;
/// <paramref name="ComputeMs"/> the processor call for the whole batch of <paramref name="BatchSize"/> items;
/// <paramref name="OutputsMs"/> writing the item's stage bundle; <paramref name="ReportMs"/> from the worker publishing
/// the stage event to the coordinator handling it.</summary>
public sealed record StageTiming(double QueueMs, double InputsMs, double ComputeMs, int BatchSize, double OutputsMs, double ReportMs);
