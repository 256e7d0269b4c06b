using System.Runtime.InteropServices;

namespace Pipeline.Editing.Parity;

/// <summary>
/// oneDNN, libtorch's CPU convolution backend, picks its kernels by the widest instruction set the CPU has, and the
/// AVX2 and AVX-512 kernels accumulate in different orders. The fixtures were produced with AVX2 kernels: limited to
/// AVX2, the port reproduces the DA trunk bit for bit, while AVX-512 leaves last-ulp noise that the ill-conditioned
/// <c>da_module/feat_delta</c> (a small difference of two large feature maps) amplifies to 2.5e-4 of its maximum.
/// </summary>
public static partial class OneDnnIsa
{
    public const string Variable = "ONEDNN_MAX_CPU_ISA";

    /// <summary>The instruction set the fixture trees were produced with.</summary>
    public const string FixtureIsa = "AVX2";

    /// <summary>
    /// Caps oneDNN's instruction set for this process unless the variable is already set. It must run before
    /// libtorch's first CPU convolution: oneDNN reads the variable once. Returns whether it set the variable.
    /// </summary>
    public static bool Limit(string isa = FixtureIsa)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable))) return false;
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())) return false;
        // The managed environment is a copy; oneDNN reads the native one.
        if (setenv(Variable, isa, 0) != 0) return false;
        Environment.SetEnvironmentVariable(Variable, isa);
        return true;
    }

    [DllImport("libc", CharSet = CharSet.Ansi, SetLastError = true)]
    private static extern int setenv(string name, string value, int overwrite);
}
