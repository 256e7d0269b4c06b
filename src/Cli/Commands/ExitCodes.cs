namespace Pipeline.Cli.Commands;

/// <summary>Process exit codes shared by every command.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    /// <summary>The input was refused or unreadable (bad checkpoint, bad arguments).</summary>
    public const int BadInput = 2;
    /// <summary>A batch finished but some items failed.</summary>
    public const int PartialFailure = 3;
    /// <summary>Stopped by Ctrl+C or SIGTERM; what was finished is kept (128 + SIGINT, the shell's convention).</summary>
    public const int Stopped = 130;
}
