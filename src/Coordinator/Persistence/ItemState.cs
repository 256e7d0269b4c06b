using MassTransit;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;

namespace Pipeline.Coordinator.Persistence;

/// <summary>State of the item saga: which stage the item is in and the claim checks of everything it produced.</summary>
public sealed class ItemState : SagaStateMachineInstance, IVersioned
{
    public Guid CorrelationId { get; set; }
    public Guid JobId { get; set; }
    public int Index { get; set; }
    public string CurrentState { get; set; } = "";
    public BlobRef Source { get; set; } = null!;
    public List<EditSpec> Edits { get; set; } = [];
    public JobOptions Options { get; set; } = JobOptions.Default;
    public BlobRef? Latent { get; set; }
    public BlobRef? Inversion { get; set; }
    /// <summary>The input as the invert stage fitted it, a float stage image in that stage's bundle: the DiffCam stage
    /// reads it there with the inversion and the edited images, in one request, and clients write it as the item's
    /// input. Null in rows saved before the invert stage stored it.</summary>
    public BlobRef? CarriedSource { get; set; }
    public List<BlobRef> Edited { get; set; } = [];
    public BlobRef? Mask { get; set; }
    public BlobRef? Composite { get; set; }
    public BlobRef? Final { get; set; }
    /// <summary>8-bit PNG renders of the outputs by role (<see cref="Pipeline.Contracts.Api.PngRoles"/>), gathered from
    /// each stage's event; empty in rows saved before the stages made them.</summary>
    public Dictionary<string, BlobRef> Pngs { get; set; } = [];
    /// <summary>Where the item's time went in each stage it finished, by stage name (<see cref="Stage"/>); empty in rows
    /// saved before the stages measured it, and without a stage whose worker sent no timing.</summary>
    public Dictionary<string, StageTiming> Timings { get; set; } = [];
    public Stage? FailedStage { get; set; }
    public string? FailureReason { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>Times the current stage's command was sent again because its result was overdue.</summary>
    public int Redrives { get; set; }
    /// <summary>W3C <c>traceparent</c> of the item's root span (its dispatch): every stage command carries it, so one
    /// item is one trace across the coordinator and the workers. Null when nobody traced the dispatch.</summary>
    public string? TraceParent { get; set; }
    public uint Version { get; set; }
}
