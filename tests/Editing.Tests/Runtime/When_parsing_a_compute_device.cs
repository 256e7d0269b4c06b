using Pipeline.Editing.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Runtime;

/// <summary><c>--device</c> and <c>Models:Device</c>: the accepted spellings, and a clear error for each way a value fails.</summary>
public class When_parsing_a_compute_device
{
    [Theory]
    [InlineData(null, "cpu")]
    [InlineData("", "cpu")]
    [InlineData("cpu", "cpu")]
    [InlineData(" CPU ", "cpu")]
    [InlineData("cuda", "cuda")]
    [InlineData("CUDA:0", "cuda:0")]
    [InlineData("cuda:3", "cuda:3")]
    public void Should_accept_cpu_cuda_and_cuda_with_an_ordinal(string? text, string name)
    {
        var device = ComputeDevice.ParseSyntax(text);
        Assert.Equal(name, device.Name);
        Assert.Equal(name != "cpu", device.IsCuda);
        Assert.Equal(device.IsCuda ? DeviceType.CUDA : DeviceType.CPU, device.Torch.type);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    [InlineData("cuda0")]
    [InlineData("cpu:0")]
    [InlineData("meta")]
    public void Should_refuse_anything_else_naming_the_setting_and_the_accepted_values(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => ComputeDevice.Parse(text, "Models:Device"));
        Assert.Equal($"Models:Device '{text}': expected cpu, cuda or cuda:N", e.Message);
    }

    [Fact]
    public void Should_say_the_build_is_the_cpu_libtorch_and_name_the_build_switch_when_cuda_is_missing_there()
    {
        var e = Assert.Throws<ArgumentException>(() => ComputeDevice.Check(ComputeDevice.ParseSyntax("cuda"), "--device", cudaAvailable: false, cudaDevices: 0, backend: "cpu"));
        Assert.StartsWith("--device 'cuda': this build uses the CPU libtorch", e.Message);
        Assert.Contains(ComputeDevice.BuildSwitch, e.Message);
    }

    [Fact]
    public void Should_say_no_gpu_is_visible_when_a_cuda_build_sees_none()
    {
        var e = Assert.Throws<ArgumentException>(() => ComputeDevice.Check(ComputeDevice.ParseSyntax("cuda:0"), "--device", cudaAvailable: false, cudaDevices: 0, backend: "cuda"));
        Assert.Contains("no GPU is visible", e.Message);
        Assert.Contains("CUDA_VISIBLE_DEVICES", e.Message);
    }

    [Fact]
    public void Should_refuse_an_ordinal_beyond_the_visible_gpus_and_accept_one_within()
    {
        var e = Assert.Throws<ArgumentException>(() => ComputeDevice.Check(ComputeDevice.ParseSyntax("cuda:1"), "--device", cudaAvailable: true, cudaDevices: 1, backend: "cuda"));
        Assert.Contains("sees 1 CUDA device(s)", e.Message);
        Assert.Equal("cuda:0", ComputeDevice.Check(ComputeDevice.ParseSyntax("cuda:0"), "--device", true, 1, "cuda").Name);
        Assert.Equal("cpu", ComputeDevice.Check(ComputeDevice.Cpu, "--device", false, 0, "cpu").Name);
    }

    [Fact]
    public void Should_check_cuda_against_this_process_libtorch()
    {
        // This build records its libtorch package; where CUDA is unavailable (the CPU build, or no GPU) "cuda" is refused.
        Assert.Contains(ComputeDevice.LibTorchBackend, new[] { "cpu", "cuda" });
        if (cuda.is_available())
            Assert.True(ComputeDevice.Parse("cuda").IsCuda);
        else
            Assert.Throws<ArgumentException>(() => ComputeDevice.Parse("cuda"));
        Assert.Same(ComputeDevice.Cpu, ComputeDevice.Parse("cpu"));
    }
}
