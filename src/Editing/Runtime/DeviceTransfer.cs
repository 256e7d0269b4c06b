using static TorchSharp.torch;

namespace Pipeline.Editing.Runtime;

/// <summary>Moves across the stage boundary: CPU tensors in, the models' device inside, CPU tensors out.</summary>
public static class DeviceTransfer
{
    /// <summary><paramref name="x"/> on <paramref name="device"/>, always a tensor of the current dispose scope: when
    /// <c>to</c> hands back the caller's own object (already there), an alias is returned, so the scope never frees
    /// the caller's tensor.</summary>
    public static Tensor OnDevice(this Tensor x, Device device)
    {
        var moved = x.to(device);
        return ReferenceEquals(moved, x) ? x.alias() : moved;
    }

    /// <summary><paramref name="x"/> on the CPU, as <see cref="OnDevice"/>.</summary>
    public static Tensor OnCpu(this Tensor x) => x.OnDevice(CPU);
}
