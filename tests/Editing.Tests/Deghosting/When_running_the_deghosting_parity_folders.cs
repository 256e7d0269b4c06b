using Pipeline.Editing.Parity;

namespace Pipeline.Editing.Tests.Deghosting;

public class When_running_the_deghosting_parity_folders
{
    [Theory]
    [InlineData("deghosting_small")]
    [InlineData("deghosting")]
    public void Should_pass_every_stored_tensor(string folder)
    {
        var results = new ParityRunner().Run(FixturePaths.Parity, _ => { }, [folder]);

        Assert.NotEmpty(results);
        Assert.All(results, r => Assert.True(r.Pass, $"{r.Tensor}: max_rel {r.MaxRel} > {r.Tolerance} {r.Detail}"));
    }
}
