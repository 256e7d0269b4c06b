namespace Pipeline.Cli.Commands;

/// <summary>The first Ctrl+C asks a long command (training, ghost sets, dataset evaluation) to stop at the end of its
/// step and save what it has; a second one kills it.</summary>
public sealed class TrainingCancellation : IDisposable
{
    public const string StepMessage = "stopping after this step (Ctrl+C again to abort without a checkpoint) …";

    readonly CancellationTokenSource _source = new();
    readonly string _message;

    /// <param name="message">what the command says when the first Ctrl+C arrives</param>
    public TrainingCancellation(string message = StepMessage)
    {
        _message = message;
        Console.CancelKeyPress += OnCancel;
    }

    public CancellationToken Token => _source.Token;

    void OnCancel(object? sender, ConsoleCancelEventArgs e)
    {
        if (_source.IsCancellationRequested) return;
        e.Cancel = true;
        Console.Error.WriteLine(_message);
        _source.Cancel();
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancel;
        _source.Dispose();
    }
}
