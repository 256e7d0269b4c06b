using Pipeline.Distributed.Tests.Support;
using Pipeline.Hosting.Workers;
using Pipeline.Workers.Method;

namespace Pipeline.Distributed.Tests.Workers;

/// <summary>An official release folder may carry the pSp encoder, the e4e encoder, or both, beside DiffCam and Deghosting.</summary>
public sealed class When_checking_an_official_model_folder : IDisposable
{
    private readonly TempDirectory _models = new("pipeline-official");

    public void Dispose() => _models.Dispose();

    private void Touch(params string[] files)
    {
        foreach (var f in files) File.WriteAllBytes(Path.Combine(_models.Path, f), []);
    }

    [Theory]
    [InlineData("e4e_ffhq_encode.pt")]
    [InlineData("pSp_ffhq_encode.pt")]
    public void Should_accept_either_encoder_file(string encoder)
    {
        Touch(encoder, "diff_cam_weight.pt", "deghosting.pt");

        ModelFiles.ThrowIfMissing(_models.Path);
    }

    [Fact]
    public void Should_name_both_encoder_files_when_neither_is_there()
    {
        Touch("diff_cam_weight.pt", "deghosting.pt");

        var e = Assert.Throws<MissingProcessorFilesException>(() => ModelFiles.ThrowIfMissing(_models.Path));

        Assert.Contains($"{Path.Combine(_models.Path, "pSp_ffhq_encode.pt")} or {Path.Combine(_models.Path, "e4e_ffhq_encode.pt")} not found", e.Message);
        Assert.DoesNotContain("diff_cam_weight.pt", e.Message);
    }
}
