using System.Runtime.InteropServices;

namespace Pipeline.Editing.Runtime;

/// <summary>
/// Keeps libtorch from asking for NNPACK. On a CPU that NNPACK's start-up check refuses (the AVX-512 EPYC machines of
/// docs/benchmarks.md among them) libtorch 2.x prints "Could not initialize NNPACK! Reason: Unsupported hardware." each
/// time a small convolution considers it: two lines per generator pass, six per Deghosting pass, about 8,000 in one
/// `bench pipeline` run, burying the progress lines and real warnings. Where NNPACK does start, libtorch would use it
/// only for the few convolutions oneDNN declines (batch 1 maps under 20,480 values with small kernels), which then run
/// on libtorch's own kernels instead. This is PyTorch's <c>torch.backends.nnpack.set_flags(False)</c>; TorchSharp has
/// no binding for it, so it calls <c>at::Context::setUserEnabledNNPACK</c> in libtorch_cpu directly.
/// </summary>
public static class Nnpack
{
    /// <summary>Turns NNPACK off for this process; false where libtorch_cpu lacks the entry points (nothing changed).</summary>
    public static bool TurnOff()
    {
        try
        {
            var context = globalContext();
            setUserEnabledNNPACK(context, false);
            return !userEnabledNNPACK(context);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Whether libtorch may consider NNPACK now (its user switch).</summary>
    public static bool IsOn() => userEnabledNNPACK(globalContext());

    // x86-64 and AArch64 pass `this` as the first argument of a member function, so these are plain calls.
    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr globalContext();

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static extern void setUserEnabledNNPACK(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("libtorch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool userEnabledNNPACK(IntPtr context);
}
