using System.Runtime.CompilerServices;
using Pipeline.Editing.Parity;
using Pipeline.Editing.Runtime;

namespace Pipeline.Editing.Tests;

/// <summary>Caps oneDNN at the fixtures' instruction set before any test runs a convolution (see <see cref="OneDnnIsa"/>),
/// and sets the native heap and NNPACK as the `pipeline` command does at its start (<see cref="NativeHeap"/>, <see cref="Nnpack"/>).</summary>
internal static class OneDnnSetup
{
#pragma warning disable CA2255 // a test assembly is the process's entry point for this setting
    [ModuleInitializer]
    internal static void LimitIsa()
    {
        OneDnnIsa.Limit();
        NativeHeap.ReuseFreedMemory();
        Nnpack.TurnOff();
    }
#pragma warning restore CA2255
}
