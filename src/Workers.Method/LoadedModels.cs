using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Editing.Method;
using Pipeline.Editing.Runtime;
using Pipeline.Hosting.Workers;
using TorchSharp;

namespace Pipeline.Workers.Method;

/// <summary>The model pack of this process, loaded once and shared by every stage processor in it: a worker process
/// loads it for its one stage, the embedded pipeline once for all three.</summary>
/// <remarks><see cref="EditModels"/> loads the whole pack; the demo pack is 17 MB, and a split per network would need a
/// partial loader in Editing, so every stage loads all of it.</remarks>
public sealed class LoadedModels(IOptions<ModelOptions> options, ILogger<LoadedModels> logger) : IDisposable
{
    private readonly Lock _lock = new();
    private EditModels? _models;
    private bool _disposed;

    /// <summary>The loaded pack; throws before <see cref="EnsureLoaded"/> has run.</summary>
    public EditModels Models => _models ?? throw new InvalidOperationException("the model pack is not loaded yet (LoadAsync has not run)");

    /// <summary>The configured VGG16 weights of the projection, checked to exist when the pack loads (a wrong path stops
    /// the worker at start instead of failing items with a server path in their reason).</summary>
    public string? VggWeights => options.Value.VggWeights is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    public EditModels EnsureLoaded()
    {
        lock (_lock)
        {
            // A stage loader that starts after the host began to stop must not load the pack again behind its back.
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_models is not null)
                return _models;
            if (options.Value.Threads > 0)
                torch.set_num_threads(options.Value.Threads);
            if (VggWeights is { } vgg && !File.Exists(vgg))
                throw new FileNotFoundException($"{ModelOptions.Section}:{nameof(ModelOptions.VggWeights)} names no file", vgg);
            var device = ComputeDevice.Parse(options.Value.Device, $"{ModelOptions.Section}:{nameof(ModelOptions.Device)}");
            var directory = ResolveDirectory();
            ModelFiles.ThrowIfMissing(directory);
            logger.LogInformation("Loading model pack {Directory} on {Device}", directory, device.Name);
            _models = EditModels.Load(directory, device, line => logger.LogInformation("  {Line}", line));
            return _models;
        }
    }

    // No folder configured and no demo pack: a setting to add, not a reason to restart the worker.
    private string ResolveDirectory()
    {
        try
        {
            return options.Value.ResolveDirectory();
        }
        catch (DirectoryNotFoundException e)
        {
            throw new MissingProcessorFilesException(e.Message, e);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _models?.Dispose();
            _models = null;
        }
    }
}
