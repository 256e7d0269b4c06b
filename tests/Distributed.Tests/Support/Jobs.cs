using Pipeline.Contracts;

namespace Pipeline.Distributed.Tests.Support;

public static class Jobs
{
    public static readonly IReadOnlyList<EditSpec> TwoEdits = [new("age", 1.5), new("smile", -0.5)];

    public static readonly JobOptions Seeded = new(Seed: 7, HalfPrecisionTensors: false);
}
