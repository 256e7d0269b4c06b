using Pipeline.Editing.Parity;
using Pipeline.Editing.Parity.Fixtures;

namespace Pipeline.Editing.Tests.Psp;

public class When_running_the_psp_parity_fixtures
{
    static string Describe(IEnumerable<ParityResult> results) =>
        string.Join("\n", results.Select(r => $"{(r.Pass ? "PASS" : "FAIL")} {r.Folder}/{r.Tensor} rel={r.MaxRel:g3} tol={r.Tolerance:g3} {r.Detail}"));

    [Fact]
    public void Should_pass_every_tensor_of_the_psp_folder()
    {
        var results = new ParityRunner().Run(FixturePaths.Parity, _ => { }, ["psp"]);
        Assert.NotEmpty(results);
        Assert.True(results.All(r => r.Pass), Describe(results));
        Assert.Contains(results, r => r.Tensor == "inverted_256");
    }

    [Theory]
    [InlineData(typeof(CompositionChainFixture), "composition", "inputs/manipulated_1024")]
    [InlineData(typeof(DaInputChainFixture), "da_module", "inputs/image_forward")]
    public void Should_reproduce_the_chained_input_of_the_downstream_folder(Type fixtureType, string folder, string chained)
    {
        var fixture = (IParityFixture)Activator.CreateInstance(fixtureType)!;
        var results = new ParityRunner([fixture]).Run(FixturePaths.Parity, _ => { }, [folder]);
        // Only the chained input is this fixture's; the folder's own outputs belong to the downstream network's fixture.
        var mine = results.Where(r => r.Detail is null || !r.Detail.Contains("not compared", StringComparison.Ordinal)).ToList();
        Assert.Equal([chained], mine.Select(r => r.Tensor));
        Assert.True(mine.All(r => r.Pass), Describe(mine));
    }
}
