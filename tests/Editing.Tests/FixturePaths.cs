using Pipeline.Hosting;

namespace Pipeline.Editing.Tests;

/// <summary>The fixture trees in <c>tests/fixtures/</c> (what they are and how they were made: its README) and the
/// repository's demo pack and samples.</summary>
public static class FixturePaths
{
    public static string Root => RepositoryRoot.Find();

    public static string Parity => Path.Combine(Root, "tests", "fixtures", "parity");
    public static string ParityMetrics => Path.Combine(Root, "tests", "fixtures", "parity-metrics");
    public static string DemoPack => Path.Combine(Root, "models", "demo");
    public static string Samples => Path.Combine(Root, "samples");
}
