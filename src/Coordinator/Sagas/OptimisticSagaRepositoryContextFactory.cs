using MassTransit;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Pipeline.Coordinator.Persistence;

namespace Pipeline.Coordinator.Sagas;

/// <summary>The saga repository MassTransit.EntityFrameworkCore would provide, written for this model: one scoped
/// <see cref="CoordinatorDbContext"/> per message, load by correlation id, save with the row version in the WHERE
/// clause. No lock is taken; a concurrent writer makes the save throw <see cref="DbUpdateConcurrencyException"/>, and
/// the saga endpoint's retry (see <see cref="SagaEndpoints"/>) runs the message again on fresh state.</summary>
public sealed class OptimisticSagaRepositoryContextFactory<TSaga>(
    CoordinatorDbContext db,
    ISagaConsumeContextFactory<CoordinatorDbContext, TSaga> consumeContextFactory,
    SagaConflictCounter conflicts)
    : ISagaRepositoryContextFactory<TSaga>
    where TSaga : class, SagaStateMachineInstance, IVersioned
{
    public void Probe(ProbeContext context) => context.Add("persistence", "ef-core-optimistic");

    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next) where T : class
    {
        var repositoryContext = new OptimisticSagaRepositoryContext<TSaga, T>(db, context, consumeContextFactory, conflicts);
        await next.Send(repositoryContext);
    }

    public Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next) where T : class =>
        throw new NotSupportedException($"{typeof(TSaga).Name} events correlate by id; query correlation is not supported");
}
