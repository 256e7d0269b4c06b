using Pipeline.Editing.Parity;

namespace Pipeline.Editing.Tests.Checkpoints;

public class When_running_the_checkpoint_format_parity_folder
{
    [Fact]
    public void Should_pass_every_tensor_and_container_check()
    {
        var results = new ParityRunner().Run(FixturePaths.Parity, _ => { }, ["checkpoint_format"]);

        Assert.All(results, r => Assert.True(r.Pass, $"{r.Tensor}: {r.Detail} (max_abs {r.MaxAbs})"));
        var expected = KeysFile.Read(Path.Combine(FixturePaths.Parity, "checkpoint_format", "expected_keys.json"));
        foreach (var e in expected)
            Assert.Contains(results, r => r.Tensor == $"psp_container_subset/{e.Name}");
        Assert.Contains(results, r => r.Tensor == "psp_container_subset/opts");
        Assert.Contains(results, r => r.Tensor == "psp_container_subset/latent_avg");
    }
}
