using Pipeline.Editing.Parity;

namespace Pipeline.Editing.Tests.StyleGan2;

public class When_running_the_stylegan2_parity_folders
{
    [Theory]
    [InlineData("stylegan2_generator")]
    [InlineData("discriminator")]
    public void Should_pass_every_stored_tensor(string folder)
    {
        var results = new ParityRunner().Run(FixturePaths.Parity, _ => { }, new[] { folder });
        Assert.NotEmpty(results);
        var failed = results.Where(r => !r.Pass).Select(r => $"{r.Tensor}: rel {r.MaxRel:G3} > {r.Tolerance:G3} {r.Detail}").ToList();
        Assert.True(failed.Count == 0, string.Join("\n", failed));
    }
}
