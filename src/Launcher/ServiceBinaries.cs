using Pipeline.Contracts;
using Pipeline.Hosting;

namespace Pipeline.Launcher;

/// <summary>Where the solution's build put the service binaries, for the configuration (Debug or Release) the calling
/// program was built in.</summary>
public static class ServiceBinaries
{
    private static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";

    /// <summary>The entry assembly of a project of the repository, e.g. <c>("src/Coordinator", "Pipeline.Coordinator")</c>.</summary>
    public static string Of(string projectFolder, string assembly) =>
        Path.Combine(RepositoryRoot.Find(), projectFolder, "bin", Configuration, "net10.0", "linux-x64", assembly + ".dll");

    public static string Coordinator => Of("src/Coordinator", "Pipeline.Coordinator");

    /// <summary>The product's worker of a stage (src/Workers.*), running the method.</summary>
    public static string Worker(Stage stage) => Of($"src/Workers.{stage}", $"Pipeline.Workers.{stage}");
}
