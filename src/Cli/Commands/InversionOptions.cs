using System.CommandLine;
using Pipeline.Editing.Method;

namespace Pipeline.Cli.Commands;

/// <summary><c>--invert</c> and <c>--projection-steps</c>, as every command that runs the method reads them.</summary>
public sealed class InversionOptions
{
    public readonly Option<InversionMethod> Invert = new("--invert")
    {
        Description = "inversion: Auto (the pack's main encoder when it has one, else projection) | Encoder (the main encoder) | Psp | E4e (the pack's encoder of that type) | Projection",
        DefaultValueFactory = _ => InversionMethod.Auto,
    };

    public readonly Option<int?> ProjectionSteps = new("--projection-steps")
    {
        Description = $"Adam steps of the projection (implies --invert projection; default {ProjectionOptions.DefaultSteps})",
    };

    /// <summary>The inversion asked for: --projection-steps alone asks for the projection; with an encoder it is a contradiction.</summary>
    public InversionMethod Method(ParseResult parse)
    {
        var invert = parse.GetValue(Invert);
        if (parse.GetValue(ProjectionSteps) is null) return invert;
        return invert is InversionMethod.Auto or InversionMethod.Projection
            ? InversionMethod.Projection
            : throw new ArgumentException($"--projection-steps needs --invert projection (or auto), not {InvertStage.Name(invert)}");
    }

    public int Steps(ParseResult parse) => parse.GetValue(ProjectionSteps) ?? ProjectionOptions.DefaultSteps;
}
