using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Pipeline.Coordinator.Persistence;
using Pipeline.Coordinator.StateMachines;
using Pipeline.Hosting.Telemetry;

namespace Pipeline.Coordinator.Telemetry;

/// <summary>Items started and not yet ended, summed over the running jobs' rows when the gauge is collected (once per
/// export interval; the jobs table is small next to the items table). Every coordinator replica reports the same
/// total.</summary>
public sealed class ItemsInFlightGauge(IServiceProvider services, PipelineMetrics metrics, ILogger<ItemsInFlightGauge> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.ObserveItemsInFlight(Read);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private IEnumerable<Measurement<long>> Read()
    {
        try
        {
            using var scope = services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<CoordinatorDbContext>();
            var inFlight = db.Jobs.AsNoTracking()
                .Where(j => j.CurrentState == nameof(EditJobStateMachine.Running))
                .Sum(j => (long)(j.Dispatched - j.Completed - j.Failed));
            return [new Measurement<long>(inFlight)];
        }
        catch (Exception e) when (e is InvalidOperationException or DbUpdateException or System.Data.Common.DbException)
        {
            logger.LogWarning("Items in flight not measured: {Reason}", e.GetType().Name);
            return [];
        }
    }
}
