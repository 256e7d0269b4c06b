using System.Runtime.InteropServices;

namespace Pipeline.Cli.Commands;

/// <summary>The first Ctrl+C or SIGTERM asks a long command (training, ghost sets, dataset evaluation, a folder edit)
/// to stop at the end of its step and keep what it has; a second Ctrl+C kills it, as does a second SIGTERM.</summary>
public sealed class TrainingCancellation : IDisposable
{
    public const string StepMessage = "stopping after this step (Ctrl+C again to abort without a checkpoint) …";

    readonly CancellationTokenSource _source = new();
    readonly string _message;
    readonly PosixSignalRegistration? _terminate;

    /// <param name="message">what the command says when the first Ctrl+C or SIGTERM arrives</param>
    public TrainingCancellation(string message = StepMessage)
    {
        _message = message;
        Console.CancelKeyPress += OnCancel;
        // SIGTERM (a service manager, `kill`, `docker stop`) would otherwise end the process between two writes, or be
        // held by a host's console lifetime that waits for this command to return.
        _terminate = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnTerminate);
    }

    public CancellationToken Token => _source.Token;

    /// <summary>Asks the command to stop, as the first signal does.</summary>
    public void Cancel() => Request();

    void OnCancel(object? sender, ConsoleCancelEventArgs e)
    {
        if (_source.IsCancellationRequested) return;
        e.Cancel = true;
        Request();
    }

    void OnTerminate(PosixSignalContext context)
    {
        if (_source.IsCancellationRequested) return;
        context.Cancel = true;
        Request();
    }

    void Request()
    {
        if (_source.IsCancellationRequested) return;
        Console.Error.WriteLine(_message);
        _source.Cancel();
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancel;
        _terminate?.Dispose();
        _source.Dispose();
    }
}
