using Pipeline.Editing.Imaging;
using Pipeline.Faces.Alignment;
using Pipeline.Faces.PasteBack;
using Pipeline.Faces.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Faces.Tests;

/// <summary>Aligned faces warped back into their photo through the inverse quad transform.</summary>
public sealed class When_pasting_faces_back(ITestOutputHelper output)
{
    [RealPhotosFact]
    public void Should_leave_every_pixel_outside_the_face_byte_identical_and_restore_the_face_closely()
    {
        foreach (var (c, size) in new[] { ("original", 256), ("double", 64), ("edge", 256) })
        {
            var photo = RealPhotos.Case("astronaut.png", c);
            var face = DlibOracle.Cases.Single(x => x.Stem == "astronaut" && x.Case == c).Faces[0];
            var quad = FaceQuad.From(face.Landmarks);
            var aligned = FfhqAligner.Align(photo, quad, size);

            var pasted = FacePaste.Paste(photo, [EditedFace.FromImage(aligned.SampledQuad, aligned.Image)], new FeatherMask());

            var (outside, inside, changedOutside, meanInside) = Regions(photo, pasted, aligned.SampledQuad, size);
            output.WriteLine($"{c} at {size}: {inside} pixels inside the quad, mean change there {meanInside:0.00}; {changedOutside} of {outside} outside changed");
            Assert.Equal(0, changedOutside);
            Assert.True(meanInside <= (size < 100 ? 12 : 4), $"{c}: pasting the unedited face back changed its pixels by {meanInside:0.0} levels on average");
        }
    }

    [RealPhotosFact]
    public void Should_put_an_edited_face_where_the_face_was()
    {
        var photo = RealPhotos.Read("astronaut.png");
        var face = DlibOracle.Cases.Single(x => x.Stem == "astronaut" && x.Case == "original").Faces[0];
        var quad = FaceQuad.From(face.Landmarks);
        var green = new EditedFace(quad, 64, Enumerable.Range(0, 3 * 64 * 64).Select(i => i / (64 * 64) == 1 ? 1f : -1f).ToArray());

        var pasted = FacePaste.Paste(photo, [green], new FeatherMask());

        var nose = face.Landmarks[30];
        var o = 3 * (nose.Y * photo.Width + nose.X);
        Assert.Equal(new byte[] { 0, 255, 0 }, pasted.Rgb[o..(o + 3)]);
        var corner = 3 * (500 * photo.Width + 10);
        Assert.Equal(photo.Rgb[corner..(corner + 3)], pasted.Rgb[corner..(corner + 3)]);
        Assert.Equal((photo.Width, photo.Height), (pasted.Width, pasted.Height));
    }

    [Fact]
    public void Should_weigh_the_face_fully_inside_and_not_at_all_on_its_edges()
    {
        var mask = new FeatherMask(0.1);

        Assert.Equal(1.0, mask.Weight(32, 32, 64));
        Assert.Equal(0.0, mask.Weight(0, 32, 64));
        Assert.Equal(0.0, mask.Weight(32, 64, 64));
        Assert.InRange(mask.Weight(3.2, 32, 64), 0.49, 0.51);
    }

    private static (int Outside, int Inside, int ChangedOutside, double MeanInside) Regions(RgbImage before, RgbImage after, FaceQuad quad, int size)
    {
        int outside = 0, inside = 0, changed = 0;
        double sum = 0;
        for (var y = 0; y < before.Height; y++)
            for (var x = 0; x < before.Width; x++)
            {
                var (u, v) = quad.FromSource(x, y, size);
                var o = 3 * (y * before.Width + x);
                var d = Math.Abs(before.Rgb[o] - after.Rgb[o]) + Math.Abs(before.Rgb[o + 1] - after.Rgb[o + 1]) + Math.Abs(before.Rgb[o + 2] - after.Rgb[o + 2]);
                if (u > 0 && v > 0 && u < size && v < size)
                {
                    inside++;
                    sum += d / 3.0;
                }
                else
                {
                    outside++;
                    if (d != 0) changed++;
                }
            }
        return (outside, inside, changed, sum / inside);
    }
}
