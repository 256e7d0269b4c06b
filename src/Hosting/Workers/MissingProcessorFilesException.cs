namespace Pipeline.Hosting.Workers;

/// <summary>The files a stage processor loads are not there (yet): a configuration or volume problem that a restart
/// does not cure. The worker stays up and not ready, says which files it looked for, and looks again
/// (<see cref="WorkerOptions.LoadRetryInterval"/>); a file not found elsewhere still reads as one.</summary>
public sealed class MissingProcessorFilesException(string message, Exception? inner = null) : FileNotFoundException(message, inner);
