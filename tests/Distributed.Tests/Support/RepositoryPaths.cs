using Pipeline.Hosting;
using Pipeline.Launcher;

namespace Pipeline.Distributed.Tests.Support;

/// <summary>Where the repository's files and the built binaries the tests start are.</summary>
public static class RepositoryPaths
{
    public static string Root => RepositoryRoot.Find();

    public static string TestWorkers => ServiceBinaries.Of("tests/TestWorkers", "Pipeline.TestWorkers");

    public static string DemoPack => Path.Combine(Root, "models", "demo");

    public static string Samples => Path.Combine(Root, "samples");

    /// <summary>The <c>pipeline</c> command-line tool, built with the solution.</summary>
    public static string Cli => ServiceBinaries.Of("src/Cli", "pipeline");

    public static string ServicesScript => Path.Combine(Root, "deploy", "local", "services.sh");
}
