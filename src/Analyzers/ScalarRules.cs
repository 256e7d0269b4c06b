using Microsoft.CodeAnalysis;

namespace Pipeline.Analyzers;

/// <summary>The diagnostics about TorchSharp Scalars that the garbage collector may free while libtorch reads them.</summary>
internal static class ScalarRules
{
    private const string Fix =
        "hold the Scalar in a variable that outlives the call: a static readonly Scalar field for a constant, or " +
        "'using var s = value.ToScalar();' declared before the call for a value known at run time; or use a tensor operand";

    public static readonly DiagnosticDescriptor ImplicitScalar = new(
        "PIPE001",
        "Number converted to a temporary TorchSharp.Scalar",
        "'{0}' becomes a temporary TorchSharp.Scalar that the garbage collector may free while libtorch reads it; " + Fix,
        "Reliability",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "TorchSharp 0.107 frees a Scalar in its finalizer and keeps nothing alive during the native call " +
                     "that reads it, so a collection on another thread can free an implicit Scalar mid-call.");

    public static readonly DiagnosticDescriptor TemporaryScalar = new(
        "PIPE002",
        "Temporary TorchSharp.Scalar passed to a tensor operation",
        "'{0}' makes a TorchSharp.Scalar that nothing holds during the call, so the garbage collector may free it while libtorch reads it; " + Fix,
        "Reliability",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A Scalar made inside an argument list is unreachable once its handle has been read, before the native call returns.");

    public static readonly DiagnosticDescriptor HiddenScalar = new(
        "PIPE003",
        "TorchSharp member that makes a temporary Scalar inside",
        "'{0}' makes a temporary TorchSharp.Scalar inside TorchSharp that the garbage collector may free while libtorch reads it; {1}",
        "Reliability",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "These TorchSharp 0.107 members pass an implicit Scalar of their own to libtorch; an overload taking a held Scalar avoids it.");

    public static readonly DiagnosticDescriptor HiddenAlpha = new(
        "PIPE004",
        "Tensor addition that makes a temporary alpha Scalar inside TorchSharp",
        "'{0}' calls TorchSharp's add, which passes an alpha of 1 made on the fly that the garbage collector may free while libtorch reads it; write a.Plus(b) or x.OneMinus() (Pipeline.Editing.Runtime.TensorSums), or a.add(b, Scalars.One)",
        "Reliability",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "TorchSharp 0.107's Tensor + Tensor, Tensor + Scalar and Scalar - Tensor operators call add without an alpha, " +
                     "and add(Tensor) converts the constant 1 to a Scalar that nothing holds during THSTensor_add.");
}
