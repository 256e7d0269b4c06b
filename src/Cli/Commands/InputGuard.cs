using Pipeline.Editing.Checkpoints;

namespace Pipeline.Cli.Commands;

/// <summary>Runs a command's body and turns refused input (bad arguments, missing or malformed files) into one line on
/// stderr and <see cref="ExitCodes.BadInput"/>.</summary>
public static class InputGuard
{
    public static int Run(string command, Func<int> body)
    {
        try { return body(); }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or CheckpointFormatException)
        {
            Console.Error.WriteLine($"{command}: {e.Message}");
            return ExitCodes.BadInput;
        }
    }
}
