namespace Pipeline.Cli.Commands;

/// <summary>The first Ctrl+C asks a training command to stop at the end of its step and checkpoint; a second one kills it.</summary>
public sealed class TrainingCancellation : IDisposable
{
    readonly CancellationTokenSource _source = new();

    public TrainingCancellation() => Console.CancelKeyPress += OnCancel;

    public CancellationToken Token => _source.Token;

    void OnCancel(object? sender, ConsoleCancelEventArgs e)
    {
        if (_source.IsCancellationRequested) return;
        e.Cancel = true;
        Console.Error.WriteLine("stopping after this step (Ctrl+C again to abort without a checkpoint) …");
        _source.Cancel();
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancel;
        _source.Dispose();
    }
}
