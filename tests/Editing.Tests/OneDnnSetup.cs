using System.Runtime.CompilerServices;
using Pipeline.Editing.Parity;

namespace Pipeline.Editing.Tests;

/// <summary>Caps oneDNN at the fixtures' instruction set before any test runs a convolution (see <see cref="OneDnnIsa"/>).</summary>
internal static class OneDnnSetup
{
#pragma warning disable CA2255 // a test assembly is the process's entry point for this setting
    [ModuleInitializer]
    internal static void LimitIsa() => OneDnnIsa.Limit();
#pragma warning restore CA2255
}
