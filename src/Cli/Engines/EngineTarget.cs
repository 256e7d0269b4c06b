using Pipeline.Cli.Commands;
using Pipeline.Editing.Runtime;

namespace Pipeline.Cli.Engines;

/// <summary>The engine <c>pipeline edit</c> and <c>pipeline eval dataset</c> use, with the coordinator's address and key when it is one.</summary>
public sealed record EngineTarget(EditEngine Engine, Uri? Coordinator = null, string? ApiKey = null)
{
    /// <summary>Where the embedded and in-process engines run the model pack (a coordinator's workers use their own
    /// <c>Models:Device</c>).</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;

    /// <summary>This target on <paramref name="device"/>; a coordinator's workers choose their own, so only <c>cpu</c>
    /// (the default, i.e. not given) goes with one.</summary>
    public EngineTarget On(ComputeDevice device)
    {
        if (Engine == EditEngine.Coordinator && device.IsCuda)
            throw new ArgumentException($"{DeviceOption.Name} '{device.Name}' does not reach a coordinator's workers: they run on their own Models:Device");
        return this with { Device = device };
    }

    public static EngineTarget Embedded { get; } = new(EditEngine.Embedded);

    public static EngineTarget InProcess { get; } = new(EditEngine.InProcess);

    /// <summary>From the command line: <c>--coordinator</c> wins over <c>--engine</c>; bad values are ArgumentExceptions.</summary>
    public static EngineTarget Parse(string? engine, string? coordinator, string? apiKey)
    {
        if (coordinator is not null)
        {
            if (engine is not (null or "embedded" or "coordinator"))
                throw new ArgumentException("--coordinator and --engine cannot be combined");
            if (!Uri.TryCreate(coordinator, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new ArgumentException($"--coordinator '{coordinator}' is not an http(s) URL");
            if (string.IsNullOrWhiteSpace(apiKey))
                throw new ArgumentException($"an API key is needed with --coordinator: --api-key or ${Commands.Distributed.SubmitCommand.ApiKeyVariable}");
            return new EngineTarget(EditEngine.Coordinator, uri, apiKey);
        }
        return (engine ?? "embedded").ToLowerInvariant() switch
        {
            "embedded" => Embedded,
            "in-process" or "inprocess" => InProcess,
            "coordinator" => throw new ArgumentException("--engine coordinator needs --coordinator URL"),
            _ => throw new ArgumentException($"unknown --engine '{engine}' (embedded or in-process)"),
        };
    }
}
