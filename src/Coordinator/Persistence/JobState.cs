using MassTransit;
using Pipeline.Contracts;

namespace Pipeline.Coordinator.Persistence;

/// <summary>State of the job saga: counts, the dispatch cursor and which items have reported back.</summary>
public sealed class JobState : SagaStateMachineInstance, IVersioned
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    public int Total { get; set; }
    /// <summary>Items 0..Dispatched-1 have been started.</summary>
    public int Dispatched { get; set; }
    public int Completed { get; set; }
    public int Failed { get; set; }
    /// <summary>Items never started because the job was cancelled.</summary>
    public int Cancelled { get; set; }
    public int MaxInFlight { get; set; }
    public bool CancelRequested { get; set; }
    /// <summary>One bit per item that has reported Completed or Failed: a redelivered report is not counted twice.</summary>
    public byte[] FinishedItems { get; set; } = [];
    /// <summary>The items the last few messages started, by message id: when one of those messages comes back (its
    /// sends were lost in a crash), exactly its starts are sent again.</summary>
    public List<DispatchRecord> RecentDispatches { get; set; } = [];
    public List<EditSpec> Edits { get; set; } = [];
    public JobOptions Options { get; set; } = JobOptions.Default;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public uint Version { get; set; }

    public int InFlight => Dispatched - Completed - Failed;
    public int Pending => Total - Dispatched - Cancelled;
}
