using System.CommandLine;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline directions …</c>: the directions of a model pack — fitted from a person's labels, listed, their masks chosen.
/// One file per subcommand; each is registered here with one line.</summary>
public static class DirectionsCommand
{
    public static Command Create()
    {
        var cmd = new Command("directions", "make and inspect the edit directions of a model pack (docs/directions.md)");
        cmd.Subcommands.Add(DirectionsFitCommand.Create());
        cmd.Subcommands.Add(DirectionsListCommand.Create());
        cmd.Subcommands.Add(DirectionsComponentsCommand.Create());
        cmd.Subcommands.Add(DirectionsMaskCommand.Create());
        return cmd;
    }
}
