using Pipeline.Editing.Networks.StyleGan2;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.StyleGan2;

public class When_filtering_with_upfirdn2d
{
    /// <summary>upfirdn2d's definition written as loops: zero insertion, pad/crop, true convolution, decimation.</summary>
    static float[,] Direct(float[,] x, float[,] k, int up, int down, int p0, int p1)
    {
        int h = x.GetLength(0), w = x.GetLength(1), kh = k.GetLength(0), kw = k.GetLength(1);
        int hp = h * up + p0 + p1, wp = w * up + p0 + p1;
        float Padded(int y, int xx)
        {
            int uy = y - p0, ux = xx - p0;   // index in the zero-inserted signal
            if (uy < 0 || ux < 0 || uy >= h * up || ux >= w * up || uy % up != 0 || ux % up != 0) return 0;
            return x[uy / up, ux / up];
        }
        int oh = (hp - kh) / down + 1, ow = (wp - kw) / down + 1;
        var result = new float[oh, ow];
        for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
        {
            double sum = 0;
            for (int i = 0; i < kh; i++)
            for (int j = 0; j < kw; j++)
                sum += Padded(oy * down + i, ox * down + j) * k[kh - 1 - i, kw - 1 - j];
            result[oy, ox] = (float)sum;
        }
        return result;
    }

    // Asymmetric kernels, so that a missing flip would show; the 4×4 one has the size of the official blur kernel.
    static readonly Dictionary<string, float[,]> Kernels = new()
    {
        ["2x3"] = new float[,] { { 1, 2, 0 }, { -1, 3, 5 } },
        ["4x4"] = new float[,] { { 1, 2, 0, 1 }, { -1, 3, 5, 2 }, { 0, 1, 4, -2 }, { 3, 0, 1, 1 } },
    };

    [Theory]
    [InlineData("2x3", 1, 1, 1, 1)]
    [InlineData("2x3", 2, 1, 2, 1)]
    [InlineData("2x3", 1, 2, 2, 2)]
    [InlineData("2x3", 2, 2, 1, 2)]
    [InlineData("2x3", 1, 1, -1, 2)]
    [InlineData("2x3", 3, 1, 0, -2)]
    [InlineData("2x3", 2, 1, 1, 0)]
    [InlineData("4x4", 2, 1, 2, 1)]    // the ToRGB skip upsampler (transposed-conv shortcut)
    [InlineData("4x4", 1, 1, 1, 1)]    // the blur after the modulated transposed conv (conv padding shortcut)
    [InlineData("4x4", 1, 2, 2, 2)]    // the discriminator's downsampling blur
    [InlineData("4x4", 4, 1, 1, 2)]
    public void Should_match_the_definition_with_an_asymmetric_kernel(string kernelName, int up, int down, int p0, int p1)
    {
        var kernel = Kernels[kernelName];
        using var x = arange(2 * 3 * 5 * 4, dtype: ScalarType.Float32).reshape(2, 3, 5, 4).sin();
        using var k = tensor(kernel.Cast<float>().ToArray()).reshape(kernel.GetLength(0), kernel.GetLength(1));

        using var y = Upfirdn2d.Apply(x, k, up, down, p0, p1);

        for (int b = 0; b < 2; b++)
        for (int c = 0; c < 3; c++)
        {
            var plane = new float[5, 4];
            var flat = x[b, c].data<float>().ToArray();
            for (int i = 0; i < 5; i++) for (int j = 0; j < 4; j++) plane[i, j] = flat[i * 4 + j];
            var expected = Direct(plane, kernel, up, down, p0, p1);
            Assert.Equal(expected.GetLength(0), y.shape[2]);
            Assert.Equal(expected.GetLength(1), y.shape[3]);
            var got = y[b, c].data<float>().ToArray();
            for (int i = 0; i < expected.GetLength(0); i++)
            for (int j = 0; j < expected.GetLength(1); j++)
                Assert.True(Math.Abs(got[i * expected.GetLength(1) + j] - expected[i, j]) < 1e-4f, $"({b},{c},{i},{j}): {got[i * expected.GetLength(1) + j]} vs {expected[i, j]}");
        }
    }

    [Fact]
    public void Should_keep_the_size_of_the_official_upsample_and_blur_pads()
    {
        using var x = randn(1, 2, 8, 8);
        using var up = new Upsample(StyleGan2Config.DefaultBlurKernel);
        using var blur = new Blur(StyleGan2Config.DefaultBlurKernel, 1, 1, upsampleFactor: 2);
        using var upsampled = up.call(x);
        using var odd = randn(1, 2, 17, 17);   // the 2H+1 output of a stride-2 transposed 3×3 conv
        using var blurred = blur.call(odd);
        Assert.Equal(new long[] { 1, 2, 16, 16 }, upsampled.shape);
        Assert.Equal(new long[] { 1, 2, 16, 16 }, blurred.shape);
        // make_kernel([1,3,3,1])·4 sums to 4: a constant input stays constant (×1) away from the borders after 2× zero insertion.
        using var ones = TorchSharp.torch.ones(1, 1, 8, 8);
        using var flat = up.call(ones);
        Assert.Equal(1f, flat[0, 0, 8, 8].item<float>(), 6);
    }
}
