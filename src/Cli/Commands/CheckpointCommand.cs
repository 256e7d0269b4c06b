using System.CommandLine;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline checkpoint inspect FILE</c> (filled in by the checkpoint I/O work).</summary>
public static class CheckpointCommand
{
    public static Command Create()
    {
        var cmd = new Command("checkpoint", "read checkpoint files");
        return cmd;
    }
}
