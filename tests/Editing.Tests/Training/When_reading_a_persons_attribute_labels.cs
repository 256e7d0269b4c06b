using Pipeline.Editing.Training;
using Xunit;

namespace Pipeline.Editing.Tests.Training;

public class When_reading_a_persons_attribute_labels : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("labels-").FullName;
    public void Dispose() => Directory.Delete(_root, recursive: true);

    string Write(string text)
    {
        var path = Path.Combine(_root, "labels.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Should_read_rows_with_or_without_a_header_skipping_comments_and_blank_lines()
    {
        var with = AttributeLabels.Read(Write("file,long_hair\n# a comment\na.png,1\n\nb.png , 0\n"));
        Assert.Equal(new[] { ("a.png", true, 3), ("b.png", false, 5) }, with.Select(l => (l.File, l.Label, l.Line)));
        var without = AttributeLabels.Read(Write("a.png,0\nb.png,1\n"));
        Assert.Equal(new[] { false, true }, without.Select(l => l.Label));
    }

    [Theory]
    [InlineData("a.png,1\nb.png,yes\n", ":2:", "must be 0 or 1")]
    [InlineData("a.png,1\nb.png,0,extra\n", ":2:", "expected 'file,label'")]
    [InlineData("file,label\na.png,1\nb.png,0\na.png,0\n", ":4:", "labelled twice (also on line 2)")]
    [InlineData("a.png,1\n,0\n", ":2:", "expected 'file,label'")]
    public void Should_name_the_line_of_a_bad_row(string text, string line, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => AttributeLabels.Read(Write(text)));
        Assert.Contains(line, e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Should_refuse_one_sided_or_too_few_labels_with_the_counts()
    {
        var oneSided = Assert.Throws<ArgumentException>(() => AttributeLabels.CheckCounts(Enumerable.Repeat(true, 40).ToList(), "long_hair"));
        Assert.Contains("40 image(s) labelled 1 and 0 labelled 0", oneSided.Message);
        Assert.Contains("one-sided", oneSided.Message);

        var few = Enumerable.Repeat(true, AttributeLabels.MinimumPerClass - 1).Concat(Enumerable.Repeat(false, 50)).ToList();
        var e = Assert.Throws<ArgumentException>(() => AttributeLabels.CheckCounts(few, "long_hair"));
        Assert.Contains($"{AttributeLabels.MinimumPerClass - 1} image(s) labelled 1 and 50 labelled 0", e.Message);
        Assert.Contains($"at least {AttributeLabels.MinimumPerClass} of each", e.Message);

        AttributeLabels.CheckCounts(Enumerable.Repeat(true, 10).Concat(Enumerable.Repeat(false, 10)).ToList(), "long_hair");
    }
}
