using System.CommandLine;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline bench …</c>: speed and memory measurements (filled in by the benchmark work).</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var cmd = new Command("bench", "measure speed and memory");
        cmd.Subcommands.Add(Distributed.BenchCoordinatorCommand.Create());
        return cmd;
    }
}
