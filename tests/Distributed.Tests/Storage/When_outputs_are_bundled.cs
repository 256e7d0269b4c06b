using System.Text;
using Pipeline.Storage;

namespace Pipeline.Distributed.Tests.Storage;

public sealed class When_outputs_are_bundled
{
    [Fact]
    public void Should_give_each_output_its_slice_and_keep_the_manifest_at_the_end()
    {
        var writer = new StageBundle.Writer("jobs/j/items/000000/diffcam/outputs.bundle");
        byte[] mask = [10, 11, 12], composite = [20, 21, 22, 23, 24];
        var maskRef = writer.Add(mask, "image/png");
        var compositeRef = writer.Add(composite, "image/png");
        var manifest = Encoding.UTF8.GetBytes("""{"mask":1}""");

        var bundle = writer.Build(manifest);

        Assert.Equal((0L, 3L), (maskRef.Offset!.Value, maskRef.Length));
        Assert.Equal((3L, 5L), (compositeRef.Offset!.Value, compositeRef.Length));
        Assert.Equal(composite, BlobSlices.Slice(compositeRef, bundle, 0));
        Assert.Equal(Sha256Hex.Of(mask), maskRef.Sha256);
        Assert.True(StageBundle.TryReadManifest(bundle, out var read));
        Assert.Equal(manifest, read.ToArray());
        Assert.Equal(mask.Length + composite.Length, StageBundle.PayloadLength(bundle, read));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(40)]
    public void Should_not_find_a_manifest_in_something_that_is_not_a_whole_bundle(int cut)
    {
        var writer = new StageBundle.Writer("b.bundle");
        writer.Add(new byte[30], "image/png");
        var bundle = writer.Build("{}"u8);

        Assert.False(StageBundle.TryReadManifest(bundle.AsMemory(0, Math.Min(cut, bundle.Length - 1)), out _));
        Assert.False(StageBundle.TryReadManifest(Encoding.UTF8.GetBytes("not a bundle at all, just text"), out _));
    }
}
