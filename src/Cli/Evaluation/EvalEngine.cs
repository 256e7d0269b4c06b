namespace Pipeline.Cli.Evaluation;

/// <summary>Where <c>pipeline eval dataset</c> has its edits made.</summary>
public enum EvalEngineKind
{
    /// <summary>The coordinator and the three stage workers in this process (the default).</summary>
    Embedded,
    /// <summary>A running coordinator and its workers (<c>--coordinator URL --api-key KEY</c>).</summary>
    Coordinator,
    /// <summary>The method called directly, without jobs, messages or blobs.</summary>
    InProcess,
}

/// <summary>The engine with the coordinator's address and key when it is one.</summary>
public sealed record EvalEngine(EvalEngineKind Kind, Uri? Coordinator = null, string? ApiKey = null)
{
    public static EvalEngine Embedded { get; } = new(EvalEngineKind.Embedded);
    public static EvalEngine InProcess { get; } = new(EvalEngineKind.InProcess);

    public static EvalEngine AtCoordinator(Uri coordinator, string apiKey) => new(EvalEngineKind.Coordinator, coordinator, apiKey);

    /// <summary>From the command line: <c>--coordinator</c> selects the cluster and cannot be combined with another
    /// <c>--engine</c>; bad values are ArgumentExceptions naming the option.</summary>
    public static EvalEngine Parse(string? engine, string? coordinator, string? apiKey)
    {
        if (coordinator is not null)
        {
            if (engine is not (null or "coordinator"))
                throw new ArgumentException($"--coordinator runs the edits on the cluster; it cannot be combined with --engine {engine}");
            if (!Uri.TryCreate(coordinator, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new ArgumentException($"--coordinator '{coordinator}' is not an http(s) URL");
            if (string.IsNullOrWhiteSpace(apiKey))
                throw new ArgumentException($"--coordinator needs an API key: --api-key or ${Commands.Distributed.SubmitCommand.ApiKeyVariable}");
            return AtCoordinator(uri, apiKey);
        }
        return (engine ?? "embedded").ToLowerInvariant() switch
        {
            "embedded" => Embedded,
            "in-process" or "inprocess" => InProcess,
            "coordinator" => throw new ArgumentException("--engine coordinator needs --coordinator URL"),
            _ => throw new ArgumentException($"unknown --engine '{engine}' (embedded | in-process, or --coordinator URL)"),
        };
    }
}
