using MassTransit;
using MassTransit.Context;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Pipeline.Coordinator.Persistence;

namespace Pipeline.Coordinator.Sagas;

/// <summary>Load, insert, update and delete of one saga instance for one message, on one tracked DbContext.</summary>
public sealed class OptimisticSagaRepositoryContext<TSaga, TMessage> : ConsumeContextScope<TMessage>, SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, SagaStateMachineInstance, IVersioned
    where TMessage : class
{
    private readonly CoordinatorDbContext db;
    private readonly ConsumeContext<TMessage> context;
    private readonly ISagaConsumeContextFactory<CoordinatorDbContext, TSaga> factory;
    private readonly SagaConflictCounter conflicts;

    public OptimisticSagaRepositoryContext(CoordinatorDbContext db, ConsumeContext<TMessage> context,
        ISagaConsumeContextFactory<CoordinatorDbContext, TSaga> factory, SagaConflictCounter conflicts)
        : base(context)
    {
        this.db = db;
        this.context = context;
        this.factory = factory;
        this.conflicts = conflicts;
    }

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        factory.CreateSagaConsumeContext(db, context, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        var entry = db.Set<TSaga>().Add(instance);
        try
        {
            await db.SaveChangesAsync(CancellationToken);
            return await factory.CreateSagaConsumeContext(db, context, instance, SagaConsumeContextMode.Insert);
        }
        catch (DbUpdateException)
        {
            // Someone else inserted this correlation id first; MassTransit then loads the existing instance.
            entry.State = EntityState.Detached;
            return default!;
        }
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        // Not EF.CompileAsyncQuery: a compiled query keeps the first provider it ran on, and one process may host a
        // SQLite (embedded) and a PostgreSQL coordinator; EF's own query cache is per provider.
        var instance = await db.Set<TSaga>().SingleOrDefaultAsync(x => x.CorrelationId == correlationId, CancellationToken);
        return instance is null ? default! : await factory.CreateSagaConsumeContext(db, context, instance, SagaConsumeContextMode.Load);
    }

    public async Task Save(SagaConsumeContext<TSaga> sagaContext)
    {
        db.Set<TSaga>().Add(sagaContext.Saga);
        await SaveAsync(sagaContext.CancellationToken);
    }

    public Task Update(SagaConsumeContext<TSaga> sagaContext) => SaveAsync(sagaContext.CancellationToken);

    public async Task Delete(SagaConsumeContext<TSaga> sagaContext)
    {
        db.Set<TSaga>().Remove(sagaContext.Saga);
        await SaveAsync(sagaContext.CancellationToken);
    }

    public Task Discard(SagaConsumeContext<TSaga> sagaContext) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<TSaga> sagaContext)
    {
        var entry = db.ChangeTracker.Entries<TSaga>().FirstOrDefault(e => e.Entity.CorrelationId == sagaContext.Saga.CorrelationId);
        if (entry is not null)
            entry.State = EntityState.Unchanged;
        return Task.CompletedTask;
    }

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, TSaga instance, SagaConsumeContextMode mode)
        where T : class =>
        factory.CreateSagaConsumeContext(db, consumeContext, instance, mode);

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            conflicts.Increment();
            // The retry gets a fresh scope and context; clearing also keeps a same-scope retry from reusing stale rows.
            db.ChangeTracker.Clear();
            throw;
        }
    }
}
