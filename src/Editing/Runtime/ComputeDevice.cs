using System.Globalization;
using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Runtime;

/// <summary>
/// The device a model pack runs on: <c>cpu</c> (the default), <c>cuda</c> (the first GPU) or <c>cuda:N</c>. Parsed from
/// <c>--device</c> or <c>Models:Device</c>; the networks are built on the CPU, loaded, then moved here, and every stage
/// takes CPU tensors in and hands CPU tensors out. Never a process-wide default (no <c>torch.set_default_device</c>):
/// each tensor factory inside the method names its device.
/// </summary>
public sealed record ComputeDevice
{
    /// <summary>The MSBuild switch that selects the CUDA libtorch package (<c>Directory.Build.props</c>).</summary>
    public const string BuildSwitch = "-p:TorchBackend=cuda";

    public static readonly ComputeDevice Cpu = new(DeviceType.CPU, null);

    /// <summary>libtorch's meta device (shapes, no data), for tests on machines without a GPU: a network moved there
    /// fails on any tensor left on, or created on, the CPU, as it would on CUDA. <see cref="Parse"/> never returns it.</summary>
    internal static readonly ComputeDevice Meta = new(DeviceType.META, null);

    ComputeDevice(DeviceType type, int? index)
    {
        Type = type;
        Index = index;
    }

    public DeviceType Type { get; }

    /// <summary>The CUDA ordinal; null for the CPU and for plain <c>cuda</c> (the current GPU, ordinal 0).</summary>
    public int? Index { get; }

    public bool IsCuda => Type == DeviceType.CUDA;

    /// <summary><c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>, as given (lower case): what provenance records.</summary>
    public string Name => Type switch
    {
        DeviceType.CUDA => Index is { } i ? $"cuda:{i}" : "cuda",
        var t => t.ToString().ToLowerInvariant(),
    };

    /// <summary>The libtorch device (a new object each time: TorchSharp's <see cref="Device"/> is mutable).</summary>
    public Device Torch => IsCuda ? new Device(DeviceType.CUDA, Index ?? 0) : new Device(Type);

    public override string ToString() => Name;

    /// <summary>
    /// Parses and checks a device: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (null or blank: <c>cpu</c>); a CUDA device
    /// must be visible to this process's libtorch. <paramref name="source"/> names the setting in errors.
    /// </summary>
    public static ComputeDevice Parse(string? text, string source = "--device") =>
        Check(ParseSyntax(text, source), source, cuda.is_available(), cuda.is_available() ? cuda.device_count() : 0, LibTorchBackend);

    /// <summary>The syntax only (no CUDA check): <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>, case-insensitive.</summary>
    public static ComputeDevice ParseSyntax(string? text, string source = "--device")
    {
        var value = text?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(value) || value == "cpu") return Cpu;
        if (value == "cuda") return new ComputeDevice(DeviceType.CUDA, null);
        if (value.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(value.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            return new ComputeDevice(DeviceType.CUDA, index);
        throw new ArgumentException($"{source} '{text}': expected cpu, cuda or cuda:N");
    }

    /// <summary>A CUDA device must exist for this libtorch: a CPU build, no visible GPU and a missing ordinal each get
    /// their own message.</summary>
    internal static ComputeDevice Check(ComputeDevice device, string source, bool cudaAvailable, int cudaDevices, string backend)
    {
        if (!device.IsCuda) return device;
        if (!cudaAvailable)
            throw new ArgumentException(backend == "cuda"
                ? $"{source} '{device.Name}': no GPU is visible to libtorch (torch.cuda.is_available() is false) although this build has the CUDA libtorch: check the driver and CUDA_VISIBLE_DEVICES"
                : $"{source} '{device.Name}': this build uses the CPU libtorch (torch.cuda.is_available() is false); build with {BuildSwitch} for the CUDA libtorch, on a machine with a visible GPU");
        if ((device.Index ?? 0) >= cudaDevices)
            throw new ArgumentException($"{source} '{device.Name}': libtorch sees {cudaDevices} CUDA device(s) (cuda:0 … cuda:{cudaDevices - 1})");
        return device;
    }

    /// <summary>The libtorch package this build references (<c>TorchBackend</c> at build time: <c>cpu</c> or <c>cuda</c>).</summary>
    public static string LibTorchBackend { get; } =
        typeof(ComputeDevice).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "TorchBackend")?.Value ?? "cpu";

    /// <summary>The device a module's weights are on (the first parameter or buffer; the CPU for a module with none).</summary>
    public static Device Of(nn.Module module)
    {
        foreach (var p in module.parameters()) return p.device;
        foreach (var b in module.buffers()) return b.device;
        return CPU;
    }
}
