using Pipeline.Editing.Parity;

namespace Pipeline.Editing.Tests.DiffCam;

public class When_running_the_DA_composition_and_perceptual_fixtures
{
    [Theory]
    [InlineData("da_module")]
    [InlineData("composition")]
    [InlineData("perceptual_vgg16")]
    public void Should_pass_every_comparison_of_the_folder(string folder)
    {
        var results = new ParityRunner().Run(FixturePaths.Parity, _ => { }, [folder]);
        Assert.NotEmpty(results);
        var failed = results.Where(r => !r.Pass).Select(r => $"{r.Tensor}: max_rel={r.MaxRel:e3} tol={r.Tolerance:e3} {r.Detail}").ToList();
        Assert.True(failed.Count == 0, string.Join("\n", failed));
    }
}
