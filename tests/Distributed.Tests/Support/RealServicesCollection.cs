namespace Pipeline.Distributed.Tests.Support;

/// <summary>Tests on the real services run one at a time and alone: some of them stop RabbitMQ or Azurite.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealServicesCollection
{
    public const string Name = "real services";
}
