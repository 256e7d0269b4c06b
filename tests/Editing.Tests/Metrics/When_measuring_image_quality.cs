using Pipeline.Editing.Metrics.Inception;
using Pipeline.Editing.Metrics.Quality;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Metrics;

public class When_measuring_image_quality
{
    [Fact]
    public void Should_give_PSNR_from_the_mean_squared_error_and_cap_identical_images()
    {
        using var a = full(1, 3, 16, 16, 0.5f);
        using var b = a + 0.1f;

        var psnr = ImageQuality.Psnr(cat([a, a]), cat([b, a]));

        Assert.Equal(20.0, psnr[0].item<double>(), 4);   // MSE 0.01
        Assert.Equal(ImageQuality.MaxPsnr, psnr[1].item<double>(), 6);
    }

    [Fact]
    public void Should_give_SSIM_one_for_identical_images_and_less_for_noise()
    {
        var generator = new TorchSharp.torch.Generator(1);
        using var a = rand(2, 3, 32, 32, generator: generator);
        using var noisy = (a + randn(2, 3, 32, 32, generator: generator) * 0.3f).clamp(0, 1);

        var same = ImageQuality.Ssim(a, a);
        var worse = ImageQuality.Ssim(a, noisy);

        Assert.True(same.allclose(ones_like(same), rtol: 0, atol: 1e-12));
        Assert.True((worse < 0.8).all().item<bool>(), $"SSIM with noise: {worse[0].item<double>()}");
    }

    [Fact]
    public void Should_resize_like_torch_s_antialiased_bicubic_and_keep_a_same_size_image()
    {
        manual_seed(2);
        using var x = rand(1, 3, 64, 48);

        var same = PilBicubicResize.Resize(x, 64, 48);
        var down = PilBicubicResize.Resize(x, 29, 31);
        var torchAa = nn.functional.interpolate(x, [29, 31], mode: InterpolationMode.Bicubic, align_corners: false, antialias: true);

        Assert.True(same.allclose(x, rtol: 0, atol: 1e-6));
        Assert.True((down - torchAa).abs().max().item<float>() < 1e-4, "PIL-style bicubic differs from torch's antialiased bicubic");
    }
}
