using Pipeline.Editing.Parity;

namespace Pipeline.Editing.Tests.Psp;

public class When_running_the_e4e_parity_fixture
{
    [Fact]
    public void Should_pass_every_tensor_of_the_e4e_folder_with_a_batch_of_two()
    {
        var results = new ParityRunner().Run(FixturePaths.Parity, _ => { }, ["e4e_encoder"]);

        var failed = results.Where(r => !r.Pass).Select(r => $"{r.Tensor}: rel {r.MaxRel:G3} > {r.Tolerance:G3} {r.Detail}").ToList();
        Assert.True(failed.Count == 0, string.Join("\n", failed));
        foreach (var tensor in new[] { "w0", "deltas", "codes_raw", "latent", "batch2/item1_codes_alone" })
            Assert.Contains(results, r => r.Tensor == tensor);
    }
}
