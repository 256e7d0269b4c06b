using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Pipeline.Coordinator.Api;
using Pipeline.Coordinator.Consumers;
using Pipeline.Coordinator.Jobs;
using Pipeline.Coordinator.Persistence;
using Pipeline.Coordinator.Sagas;
using Pipeline.Coordinator.StateMachines;
using Pipeline.Coordinator.Telemetry;
using Pipeline.Hosting;
using Pipeline.Hosting.Bus;
using Pipeline.Hosting.Health;
using Pipeline.Storage;

namespace Pipeline.Coordinator;

public static class CoordinatorRegistration
{
    /// <summary>The coordinator service: saga state, bus with the sagas, blob store (uploads and downloads), HTTP API.</summary>
    public static WebApplicationBuilder AddCoordinator(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.Services.AddBlobStore();
        builder.Services.AddCoordinatorServices();
        builder.Services.AddPipelineBus(builder.Configuration, x => x.AddCoordinatorEndpoints());
        builder.Services.AddCoordinatorApi();
        return builder;
    }

    public static WebApplication MapCoordinator(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthEndpoints();
        app.MapOpenApi().AllowAnonymous();
        app.MapJobApi();
        return app;
    }

    /// <summary>Database, saga support and the job services, without the HTTP API (the embedded host uses these).
    /// Must come before the bus registration: the schema is brought up to date before consumers start.</summary>
    public static IServiceCollection AddCoordinatorServices(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(nameof(DatabaseOptions));
        services.AddOptions<CoordinatorOptions>().BindConfiguration(nameof(CoordinatorOptions));
        services.AddDbContextPool<CoordinatorDbContext>((provider, db) =>
        {
            var options = provider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            if (options.Provider == DatabaseProvider.Postgres)
                db.UseNpgsql(options.ConnectionString);
            else
                db.UseSqlite(options.ConnectionString).AddInterceptors(new SqlitePragmas());
        });
        services.AddHostedService<DatabaseInitializer>();
        services.AddHostedService<StageDeadlineWatch>();
        services.AddSingleton<FinishedJobRetention>();
        services.AddHostedService(provider => provider.GetRequiredService<FinishedJobRetention>());
        services.AddCoordinatorTelemetry();
        services.AddSingleton<SagaConflictCounter>();
        services.AddScoped<JobSubmission>();
        services.AddScoped<JobQueries>();
        services.AddScoped<JobDeletion>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [HealthEndpoints.ReadyTag]);
        return services;
    }

    /// <summary>The job and item sagas on the optimistic EF repository, and the coordinator's consumers.</summary>
    public static void AddCoordinatorEndpoints(this IBusRegistrationConfigurator x)
    {
        x.AddSagaStateMachine<EditJobStateMachine, JobState, JobStateDefinition>()
            .Repository(r => r.RegisterSagaRepository<JobState, CoordinatorDbContext, SagaConsumeContextFactory<CoordinatorDbContext, JobState>,
                OptimisticSagaRepositoryContextFactory<JobState>>());
        x.AddSagaStateMachine<EditItemStateMachine, ItemState, ItemStateDefinition>()
            .Repository(r => r.RegisterSagaRepository<ItemState, CoordinatorDbContext, SagaConsumeContextFactory<CoordinatorDbContext, ItemState>,
                OptimisticSagaRepositoryContextFactory<ItemState>>());
        x.AddConsumer<SubmitJobConsumer, SubmitJobConsumerDefinition>();
        x.AddConsumer<CancelPendingItemsConsumer, CancelPendingItemsConsumerDefinition>();
    }

    public static IServiceCollection AddCoordinatorApi(this IServiceCollection services)
    {
        services.AddOptions<ApiOptions>().BindConfiguration(nameof(ApiOptions))
            .Validate(o => o.ApiKeys.Any(k => !string.IsNullOrWhiteSpace(k)), "ApiOptions:ApiKeys needs at least one key (set ApiOptions__ApiKeys__0)")
            .ValidateOnStart();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddOpenApi(o => o.AddDocumentTransformer<ApiKeySecurityScheme>());
        services.ConfigureHttpJsonOptions(o =>
            o.SerializerOptions.NumberHandling |= System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals);
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ApiOptions>>((kestrel, api) =>
            kestrel.Limits.MaxRequestBodySize = api.Value.MaxUploadBytes);
        return services;
    }
}
