using Pipeline.Hosting;

namespace Pipeline.Distributed.Tests.Support;

/// <summary>Where the repository and the built service binaries are, seen from the test assembly.</summary>
public static class RepositoryPaths
{
    public static string Root => RepositoryRoot.Find();

    /// <summary>The configuration the tests were built in (the services are built alongside, by project reference).</summary>
    private static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";

    public static string Binary(string projectFolder, string assembly) =>
        Path.Combine(Root, projectFolder, "bin", Configuration, "net10.0", "linux-x64", assembly + ".dll");

    public static string Coordinator => Binary("src/Coordinator", "Pipeline.Coordinator");

    public static string TestWorkers => Binary("tests/TestWorkers", "Pipeline.TestWorkers");

    /// <summary>The product's worker binary of a stage (src/Workers.*), running the method.</summary>
    public static string Worker(Pipeline.Contracts.Stage stage) => Binary($"src/Workers.{stage}", $"Pipeline.Workers.{stage}");

    public static string DemoPack => Path.Combine(Root, "models", "demo");

    public static string Samples => Path.Combine(Root, "samples");

    /// <summary>The <c>pipeline</c> command-line tool, built with the solution.</summary>
    public static string Cli => Binary("src/Cli", "pipeline");

    public static string ServicesScript => Path.Combine(Root, "deploy", "local", "services.sh");
}
