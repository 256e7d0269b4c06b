using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Pipeline.Analyzers;

/// <summary>
/// TorchSharp 0.107 members that turn an argument, or a constant of their own, into an implicit Scalar inside the
/// library, found by reading their IL for calls to Scalar's conversion operators. Each entry says what to write instead.
/// The operators that call add with an alpha of its own are <see cref="IsAdditionWithHiddenAlpha"/>. Members that make
/// one only outside inference are left out: BatchNorm's forward counts batches with add_(1) in training mode only, and
/// the optimizers' step is training code.
/// </summary>
internal static class HiddenScalarMembers
{
    private const string HeldScalarOverload = "call the overload that takes a Scalar, with a Scalar held in a static readonly field or a using variable";

    /// <summary>The advice for a call of <paramref name="method"/>, or null where the method makes no hidden Scalar.</summary>
    public static string? Advice(IMethodSymbol method)
    {
        var withoutScalar = !HasScalarParameter(method);
        var count = method.Parameters.Length;
        return (method.ContainingType?.ToDisplayString(), method.Name) switch
        {
            ("TorchSharp.torch.Tensor", "square") => "multiply the tensor by itself, or call pow with a held Scalar",
            ("TorchSharp.torch.Tensor", "add" or "add_") when count == 1 => "pass the alpha Scalar yourself, held in a static readonly field or a using variable",
            ("TorchSharp.torch.Tensor", "addcdiv" or "addcdiv_") when count == 2 => "pass the value Scalar yourself, held in a static readonly field or a using variable",
            ("TorchSharp.torch.Tensor", "celu" or "celu_" or "elu" or "elu_" or "softplus") when withoutScalar => HeldScalarOverload,
            ("TorchSharp.torch.nn.functional", "celu" or "hardshrink" or "hardtanh" or "leaky_relu" or "softshrink" or "threshold") when withoutScalar =>
                "call the Tensor method that takes a Scalar (e.g. x.leaky_relu(slope)), with a held Scalar",
            ("TorchSharp.torch.linalg", "vector_norm" or "matrix_norm") when withoutScalar => HeldScalarOverload,
            ("TorchSharp.torch.nn", "LeakyReLU") =>
                "use Pipeline.Editing.Networks.LeakyReLU, which holds its slope as a Scalar (the module converts its double slope on every forward)",
            ("TorchSharp.torch.nn", "PReLU") =>
                "use Pipeline.Editing.Networks.PReLU, which fills its initial weight with a held Scalar",
            ("TorchSharp.torch", "normal") when HasNumberParameter(method) => "draw with randn and scale it with held Scalars",
            ("TorchSharp.TensorExtensionMethods", var name) when ValueReaders.Contains(name) => "read the value with item<T>()",
            _ => null,
        };
    }

    private static readonly HashSet<string> ValueReaders = new()
    {
        "ToBoolean", "ToByte", "ToSByte", "ToInt16", "ToInt32", "ToInt64", "ToHalf", "ToBFloat16", "ToSingle", "ToDouble",
        "ToComplex32", "ToComplex64", "ToComplexFloat32", "ToComplexFloat64",
    };

    /// <summary>
    /// True for TorchSharp's Tensor operators with a number operand (x * 0.5, 1 - x): they convert the number to an
    /// implicit Scalar inside the operator.
    /// </summary>
    public static bool IsTensorOperatorWithNumber(IMethodSymbol? method) =>
        method is { MethodKind: MethodKind.UserDefinedOperator }
        && method.ContainingType?.ToDisplayString() == "TorchSharp.torch.Tensor"
        && HasNumberParameter(method);

    /// <summary>
    /// True for TorchSharp's Tensor operators that call add without an alpha: Tensor + Tensor, Tensor + Scalar,
    /// Scalar + Tensor, and Scalar - Tensor (negate, then add). Tensor - Tensor and Tensor - Scalar call sub, which takes no alpha.
    /// </summary>
    public static bool IsAdditionWithHiddenAlpha(IMethodSymbol method) =>
        method is { MethodKind: MethodKind.UserDefinedOperator, Name: "op_Addition" or "op_Subtraction" }
        && method.ContainingType?.ToDisplayString() == "TorchSharp.torch.Tensor"
        && !HasNumberParameter(method)
        && (method.Name == "op_Addition" || method.Parameters[0].Type.ToDisplayString() == "TorchSharp.Scalar");

    public static bool IsNumber(ITypeSymbol type) => type.SpecialType is
        SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Int16 or SpecialType.System_Int32 or
        SpecialType.System_Int64 or SpecialType.System_Single or SpecialType.System_Double;

    private static bool HasNumberParameter(IMethodSymbol method)
    {
        foreach (var p in method.Parameters)
            if (IsNumber(p.Type))
                return true;
        return false;
    }

    private static bool HasScalarParameter(IMethodSymbol method)
    {
        foreach (var p in method.Parameters)
            if (p.Type.ToDisplayString() == "TorchSharp.Scalar")
                return true;
        return false;
    }
}
