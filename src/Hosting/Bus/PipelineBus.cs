using System.Text.Json.Serialization;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Pipeline.Hosting.Bus;

public static class PipelineBus
{
    /// <summary>Adds MassTransit on the transport chosen by <see cref="BusOptions"/>; <paramref name="register"/> adds
    /// this process's consumers and sagas (one worker stage, the coordinator, or all of them in embedded mode). Only the
    /// transport differs between modes: endpoints, retry, redelivery and topology are the same code.</summary>
    public static IServiceCollection AddPipelineBus(this IServiceCollection services, IConfiguration configuration,
        Action<IBusRegistrationConfigurator> register)
    {
        // The transport is a registration-time choice in MassTransit, so the options are read here, not through IOptions.
        var options = configuration.GetSection(nameof(BusOptions)).Get<BusOptions>() ?? new BusOptions();
        services.AddOptions<BusOptions>().BindConfiguration(nameof(BusOptions));
        services.AddSingleton<QueueNames>();
        services.AddMassTransit(x =>
        {
            register(x);
            var redelivery = options.RedeliveryIntervals();
            if (redelivery.Length > 0 && (options.Transport == TransportKind.InMemory || options.RabbitMqDelayedExchange))
                x.AddConfigureEndpointsCallback((_, _, endpoint) => endpoint.UseDelayedRedelivery(r => r.Intervals(redelivery)));

            if (options.Transport == TransportKind.InMemory)
            {
                x.UsingInMemory((context, cfg) =>
                {
                    ConfigureTopology(cfg, options);
                    cfg.UseDelayedMessageScheduler();
                    cfg.ConfigureEndpoints(context);
                });
                return;
            }

            if (options.QuorumQueues)
                x.AddConfigureEndpointsCallback((_, _, endpoint) =>
                {
                    if (endpoint is not IRabbitMqReceiveEndpointConfigurator rabbit)
                        return;
                    rabbit.SetQuorumQueue();
                    rabbit.SetQueueArgument("x-delivery-limit", options.DeliveryLimit);
                });

            if (options.UnusedQueueExpiry is { } expiry)
                x.AddConfigureEndpointsCallback((_, _, endpoint) =>
                {
                    // MassTransit copies the receive queue's arguments to its _error and _skipped queues.
                    if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                        rabbit.SetQueueArgument("x-expires", (int)Math.Ceiling(expiry.TotalMilliseconds));
                });

            var broker = RabbitMqAddress.Parse(options.RabbitMqUri);
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(broker.Host, broker.Port, broker.VirtualHost, h =>
                {
                    h.Username(broker.Username);
                    h.Password(broker.Password);
                });
                cfg.PrefetchCount = options.PrefetchCount;
                ConfigureTopology(cfg, options);
                if (options.RabbitMqDelayedExchange)
                    cfg.UseDelayedMessageScheduler();
                cfg.ConfigureEndpoints(context);
            });
        });
        return services;
    }

    private static void ConfigureTopology(IBusFactoryConfigurator cfg, BusOptions options)
    {
        if (options.Prefix.Length > 0)
            cfg.MessageTopology.SetEntityNameFormatter(new PrefixEntityNameFormatter(cfg.MessageTopology.EntityNameFormatter, options.Prefix));
        // NaN or infinite strengths must reach the worker, which rejects the item with a reason, instead of failing
        // serialization somewhere in between.
        cfg.ConfigureJsonSerializerOptions(json =>
        {
            json.NumberHandling |= JsonNumberHandling.AllowNamedFloatingPointLiterals;
            return json;
        });
    }
}
