using System.Text.Json;
using Xunit;

namespace Pipeline.Distributed.Tests.Deploy;

/// <summary>
/// A worker image holds what its stage runs: training, evaluation, parity and benchmarks are projects of their own,
/// and no worker may reach them through any chain of project references (they would ship in every worker image
/// again). A worker's deps.json, copied beside the tests by the build, lists every project its publish output holds,
/// used or not.
/// </summary>
public sealed class When_a_worker_image_is_built
{
    static readonly string[] NotShipped =
        ["Pipeline.Editing.Training", "Pipeline.Editing.Evaluation", "Pipeline.Editing.Parity", "Pipeline.Editing.Bench"];

    [Theory]
    [InlineData("Pipeline.Workers.Invert")]
    [InlineData("Pipeline.Workers.DiffCam")]
    [InlineData("Pipeline.Workers.Deghost")]
    public void Should_hold_none_of_the_projects_that_do_not_ship(string worker)
    {
        var projects = ProjectsIn(Path.Combine(AppContext.BaseDirectory, worker + ".deps.json"));
        Assert.Contains("Pipeline.Editing", projects);   // the listing does hold the project chain
        Assert.Empty(projects.Intersect(NotShipped));
    }

    static HashSet<string> ProjectsIn(string depsJson)
    {
        Assert.True(File.Exists(depsJson), $"{depsJson} is missing: the test project must reference the worker project");
        using var document = JsonDocument.Parse(File.ReadAllText(depsJson));
        return document.RootElement.GetProperty("libraries").EnumerateObject()
            .Where(library => library.Value.GetProperty("type").GetString() == "project")
            .Select(library => library.Name.Split('/')[0])
            .ToHashSet();
    }
}
