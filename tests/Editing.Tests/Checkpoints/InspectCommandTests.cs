using Pipeline.Cli.Commands;

namespace Pipeline.Editing.Tests.Checkpoints;

public class When_inspecting_a_checkpoint_from_the_command_line
{
    static string ContainerFile => Path.Combine(FixturePaths.Parity, "checkpoint_format", "psp_container_subset.pt");

    [Fact]
    public void Should_list_the_kind_and_every_key_with_dtype_and_shape()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        int rc = CheckpointCommand.Inspect(new FileInfo(ContainerFile), output, error);

        Assert.Equal(ExitCodes.Ok, rc);
        var lines = output.ToString().Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains("kind: PspContainer", lines);
        var weight = Assert.Single(lines, l => l.StartsWith("encoder.input_layer.0.weight ", StringComparison.Ordinal));
        Assert.Contains("float32", weight);
        Assert.EndsWith("[64,3,3,3]", weight);
        Assert.Contains(lines, l => l.StartsWith("encoder.input_layer.1.num_batches_tracked ", StringComparison.Ordinal) && l.Contains("int64") && l.EndsWith("[]"));
        Assert.Contains(lines, l => l.StartsWith("total: 47 entries", StringComparison.Ordinal));
        Assert.Contains("  output_size = 1024", lines.Select(l => "  " + l));
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public void Should_exit_2_with_one_line_naming_a_broken_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.pt");
        var bytes = File.ReadAllBytes(ContainerFile);
        File.WriteAllBytes(path, bytes[..1000]);
        try
        {
            var output = new StringWriter();
            var error = new StringWriter();

            int rc = CheckpointCommand.Inspect(new FileInfo(path), output, error);

            Assert.Equal(ExitCodes.BadInput, rc);
            var message = error.ToString().TrimEnd('\n');
            Assert.DoesNotContain('\n', message);
            Assert.Contains(path, message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Should_exit_2_for_a_missing_file()
    {
        var error = new StringWriter();

        int rc = CheckpointCommand.Inspect(new FileInfo("/nonexistent/x.pt"), new StringWriter(), error);

        Assert.Equal(ExitCodes.BadInput, rc);
        Assert.Contains("/nonexistent/x.pt", error.ToString());
    }
}
