using System.Text.Json;
using Pipeline.Contracts;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Hosting;
using Pipeline.Hosting.Workers;
using Pipeline.Workers.Method;

namespace Pipeline.Distributed.Tests.Workers;

/// <summary>The workers read a job's settings and edit chain again, whatever the coordinator let through: a message that
/// did not come through the API is held to the same limits, and no setting names a file on the worker.</summary>
public sealed class When_job_settings_are_read
{
    private static JobOptions WithProjection(string json) =>
        new(1, false, new Dictionary<string, string> { [JobSettings.Projection] = json });

    [Theory]
    [InlineData(InversionMethod.E4e, "e4e")]
    [InlineData(InversionMethod.Psp, "psp")]
    [InlineData(InversionMethod.Projection, "projection")]
    public void Should_carry_the_inversion_by_its_one_name(InversionMethod inversion, string name)
    {
        var settings = JobSettings.From(new MethodOptions { Inversion = inversion }, SizeMode.Refuse);

        Assert.Equal(name, settings[JobSettings.Inversion]);
        Assert.Equal(inversion, JobSettings.Method(new JobOptions(1, false, settings)).Inversion);
        Assert.Equal(name, InvertStage.Name(inversion));
    }

    [Fact]
    public void Should_refuse_an_unknown_inversion_naming_the_choices()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            JobSettings.Method(new JobOptions(1, false, new Dictionary<string, string> { [JobSettings.Inversion] = "e5e" })));

        Assert.Contains("'e5e'", e.Message);
        Assert.Contains("e4e", e.Message);
    }

    [Fact]
    public void Should_refuse_a_chain_longer_than_the_limit()
    {
        var chain = Enumerable.Repeat(new EditSpec("smile", 0.1), JobLimits.Default.MaxEditsPerChain + 1).ToList();

        var refused = Assert.Throws<ArgumentException>(() => JobSettings.Edits(chain));

        Assert.Contains($"{chain.Count} edits", refused.Message);
        Assert.Contains($"at most {JobLimits.Default.MaxEditsPerChain}", refused.Message);
        Assert.Equal(JobLimits.Default.MaxEditsPerChain, JobSettings.Edits(chain[1..]).Count);
    }

    [Theory]
    [InlineData("""{"Steps":1000000}""", "Steps")]
    [InlineData("""{"MeanSamples":2000000000}""", "MeanSamples")]
    [InlineData("""{"PerceptualSize":100000}""", "PerceptualSize")]
    public void Should_refuse_projection_settings_over_the_limits(string json, string field)
    {
        var refused = Assert.Throws<ArgumentException>(() => JobSettings.Method(WithProjection(json)));

        Assert.Contains(field, refused.Message);
        Assert.Contains("at most", refused.Message);
    }

    [Fact]
    public void Should_refuse_a_job_that_names_the_vgg_weights_and_not_repeat_the_path()
    {
        var refused = Assert.Throws<ArgumentException>(() => JobSettings.Method(WithProjection("""{"VggWeights":"/etc/shadow"}""")));

        Assert.Contains("VggWeights", refused.Message);
        Assert.DoesNotContain("/etc/shadow", refused.Message);
    }

    [Fact]
    public void Should_take_the_vgg_weights_from_the_worker_and_never_send_them_in_a_job()
    {
        var method = new MethodOptions { Projection = new ProjectionOptions { Steps = 50, VggWeights = "client-weights/vgg16.pt" } };

        var settings = JobSettings.From(method, SizeMode.Refuse);
        var read = JobSettings.Method(new JobOptions(1, false, settings), vggWeights: "/srv/models/vgg16.pt");

        Assert.DoesNotContain("vgg16.pt", settings[JobSettings.Projection]);
        Assert.Equal((50, "/srv/models/vgg16.pt"), (read.Projection.Steps, read.Projection.VggWeights));
        Assert.Null(JsonSerializer.Deserialize<ProjectionOptions>(settings[JobSettings.Projection])!.VggWeights);
    }

    [Theory]
    [InlineData("cannot read /srv/models/vgg16.pt: truncated", "cannot read vgg16.pt: truncated")]
    [InlineData("'/var/lib/pipeline/blobs/x.bin' is locked", "'x.bin' is locked")]
    [InlineData(@"C:\models\pack\psp.pt is missing", "psp.pt is missing")]
    [InlineData("the image is 50/40 pixels, see https://example.org/a/b", "the image is 50/40 pixels, see https://example.org/a/b")]
    public void Should_keep_worker_paths_out_of_a_failure_reason(string message, string reason)
    {
        Assert.Equal(reason, FailureReasons.WithoutPaths(message));
    }
}
