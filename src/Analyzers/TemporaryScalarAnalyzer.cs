using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Pipeline.Analyzers;

/// <summary>
/// Reports a <c>TorchSharp.Scalar</c> that lives only for the duration of the native call reading it. TorchSharp 0.107
/// frees a Scalar's native memory in its finalizer, and its wrappers keep nothing alive while libtorch reads the
/// handle, so a collection on another thread can free a temporary Scalar mid-call (a segfault in libtorch, or
/// "Unknown scalar type"). A Scalar held by a field, or by a <c>using</c> variable disposed after the call, is safe.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TemporaryScalarAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(ScalarRules.ImplicitScalar, ScalarRules.TemporaryScalar, ScalarRules.HiddenScalar, ScalarRules.HiddenAlpha);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var scalar = start.Compilation.GetTypeByMetadataName("TorchSharp.Scalar");
            if (scalar is null)
                return;
            start.RegisterOperationAction(c => AnalyzeConversion(c, scalar), OperationKind.Conversion);
            start.RegisterOperationAction(c => AnalyzeArgument(c, scalar), OperationKind.Argument);
            start.RegisterOperationAction(c => AnalyzeOperator(c, scalar), OperationKind.Binary, OperationKind.CompoundAssignment, OperationKind.Unary);
            start.RegisterOperationAction(AnalyzeInvocation, OperationKind.Invocation);
        });
    }

    private static void AnalyzeConversion(OperationAnalysisContext context, INamedTypeSymbol scalar)
    {
        var conversion = (IConversionOperation)context.Operation;
        if (IsUserDefinedConversionTo(conversion, scalar) && conversion.IsImplicit && !IsHeld(conversion))
            Report(context, ScalarRules.ImplicitScalar, conversion.Operand);
    }

    private static void AnalyzeArgument(OperationAnalysisContext context, INamedTypeSymbol scalar)
    {
        var argument = (IArgumentOperation)context.Operation;
        if (argument.Parameter is { } parameter && IsScalar(parameter.Type, scalar))
            ReportIfTemporary(context, argument.Value, scalar);
    }

    private static void AnalyzeOperator(OperationAnalysisContext context, INamedTypeSymbol scalar)
    {
        var (method, operands) = context.Operation switch
        {
            IBinaryOperation b => (b.OperatorMethod, new[] { b.LeftOperand, b.RightOperand }),
            ICompoundAssignmentOperation c => (c.OperatorMethod, new[] { c.Target, c.Value }),
            IUnaryOperation u => (u.OperatorMethod, new[] { u.Operand }),
            _ => (null, new IOperation[0]),
        };
        if (method is null)
            return;
        var numberOperator = HiddenScalarMembers.IsTensorOperatorWithNumber(method);
        if (HiddenScalarMembers.IsAdditionWithHiddenAlpha(method))
            Report(context, ScalarRules.HiddenAlpha, context.Operation);
        for (var i = 0; i < operands.Length && i < method.Parameters.Length; i++)
        {
            var type = method.Parameters[i].Type;
            if (IsScalar(type, scalar))
                ReportIfTemporary(context, operands[i], scalar);
            else if (numberOperator && HiddenScalarMembers.IsNumber(type))
                Report(context, ScalarRules.ImplicitScalar, operands[i]); // TorchSharp's x * 0.5 converts inside the operator
        }
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (HiddenScalarMembers.Advice(invocation.TargetMethod) is { } advice)
            context.ReportDiagnostic(Diagnostic.Create(ScalarRules.HiddenScalar, invocation.Syntax.GetLocation(), invocation.Syntax.ToString(), advice));
    }

    /// <summary>A Scalar made in place (a call, a constructor, an explicit cast) and handed straight to the call.</summary>
    private static void ReportIfTemporary(OperationAnalysisContext context, IOperation value, INamedTypeSymbol scalar)
    {
        var temporary = value switch
        {
            IConversionOperation c when IsUserDefinedConversionTo(c, scalar) => !c.IsImplicit, // implicit ones: PIPE001
            IInvocationOperation or IObjectCreationOperation => true,
            _ => false,
        };
        if (temporary)
            Report(context, ScalarRules.TemporaryScalar, value);
    }

    /// <summary>
    /// True where the converted Scalar is stored somewhere that keeps it reachable after the call that reads it: a
    /// field (initializer or assignment), or a variable of a <c>using</c> declaration or statement.
    /// </summary>
    private static bool IsHeld(IConversionOperation conversion)
    {
        switch (conversion.Parent)
        {
            case IFieldInitializerOperation:
                return true;
            case ISimpleAssignmentOperation { Target: IFieldReferenceOperation } assignment:
                return assignment.Value == conversion;
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Parent: IVariableDeclarationOperation declaration } }:
                return declaration.Parent is IUsingOperation
                    || declaration.Parent is IVariableDeclarationGroupOperation { Parent: IUsingOperation or IUsingDeclarationOperation };
            default:
                return false;
        }
    }

    private static void Report(OperationAnalysisContext context, DiagnosticDescriptor rule, IOperation at) =>
        context.ReportDiagnostic(Diagnostic.Create(rule, at.Syntax.GetLocation(), at.Syntax.ToString()));

    private static bool IsUserDefinedConversionTo(IConversionOperation conversion, INamedTypeSymbol scalar) =>
        conversion.OperatorMethod is not null && IsScalar(conversion.Type, scalar);

    private static bool IsScalar(ITypeSymbol? type, INamedTypeSymbol scalar) =>
        SymbolEqualityComparer.Default.Equals(type, scalar);
}
