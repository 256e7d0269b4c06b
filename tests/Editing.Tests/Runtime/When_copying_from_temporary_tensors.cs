using Pipeline.Editing.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Runtime;

public sealed class When_copying_from_temporary_tensors
{
    [Fact]
    public void Should_convert_into_the_target_and_leave_the_source_usable()
    {
        using var source = arange(6, dtype: ScalarType.Float64).reshape(2, 3);
        using var target = zeros(2, 3, dtype: ScalarType.Float32);

        TensorCopy.CopyConverted(target, source);

        Assert.Equal(new float[] { 0, 1, 2, 3, 4, 5 }, target.data<float>().ToArray());
        Assert.Equal(15.0, source.sum().item<double>());
    }

    [Fact]
    public void Should_leave_a_source_that_needs_no_conversion_undisposed()
    {
        using var source = ones(4, dtype: ScalarType.Float32);
        using var target = zeros(4, dtype: ScalarType.Float32);

        TensorCopy.CopyConverted(target, source);
        using var copy = TensorCopy.DetachedFloat32Copy(source);

        Assert.False(source.IsInvalid);
        Assert.Equal(4f, source.sum().item<float>());
        Assert.Equal(4f, copy.sum().item<float>());
        Assert.NotEqual(source.Handle, copy.Handle);
    }

    [Fact]
    public void Should_read_a_strided_tensor_in_memory_order()
    {
        using var matrix = arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        using var transposed = matrix.t();

        var bytes = TensorCopy.ContiguousBytes(transposed);

        var values = new float[6];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, values);
        Assert.False(transposed.IsInvalid);
    }

    [Fact]
    public void Should_fill_the_target_from_a_made_tensor()
    {
        using var target = zeros(3);

        TensorCopy.CopyFrom(target, () => full(3, 2.5f));

        Assert.Equal(7.5f, target.sum().item<float>());
    }
}
