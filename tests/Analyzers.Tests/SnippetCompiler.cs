using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Pipeline.Analyzers.Tests;

/// <summary>Compiles a snippet against the framework and TorchSharp in memory and runs the Scalar analyzer on it.</summary>
static class SnippetCompiler
{
    const string Prelude = """
        using TorchSharp;
        using static TorchSharp.torch;
        using F = TorchSharp.torch.nn.functional;
        static class Snippet
        {
            static readonly Scalar Half = 0.5, MinusOne = -1, One = 1;

        """;

    public static async Task<ImmutableArray<Diagnostic>> AnalyzeMembers(string members)
    {
        var tree = CSharpSyntaxTree.ParseText(Prelude + members + "\n}\n");
        var compilation = CSharpCompilation.Create("Snippet", [tree], References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0) throw new InvalidOperationException("the snippet does not compile: " + string.Join("; ", errors));
        var analyzed = compilation.WithAnalyzers([new TemporaryScalarAnalyzer()]);
        return await analyzed.GetAnalyzerDiagnosticsAsync();
    }

    static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return platform.Append(typeof(TorchSharp.Scalar).Assembly.Location).Distinct()
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
    });
}
