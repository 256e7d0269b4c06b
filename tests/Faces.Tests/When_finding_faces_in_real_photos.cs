using Pipeline.Editing.Imaging;
using Pipeline.Faces.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Faces.Tests;

/// <summary>Detection and landmarks on real photos and their derived cases, against what dlib's own detector finds.</summary>
public sealed class When_finding_faces_in_real_photos(ITestOutputHelper output)
{
    [RealPhotosFact]
    public void Should_find_every_face_dlib_finds_with_its_box_and_landmarks()
    {
        using var handle = FaceModels.CreateFinder(new FaceOptions());
        foreach (var c in DlibOracle.Cases.Where(c => c.Faces.Count > 0))
        {
            var found = handle.Finder.Find(RealPhotos.Case(c.File, c.Case), c.ToString()).Faces;
            foreach (var face in c.Faces)
            {
                var ours = found.MaxBy(f => f.Box.IntersectionOverUnion(face.Box))!;
                var iou = ours.Box.IntersectionOverUnion(face.Box);
                var errors = face.Errors(ours.Landmarks);
                output.WriteLine($"{c}: box IoU {iou:0.00}, landmarks {100 * errors.Average():0.00} % mean, {100 * errors.Max():0.0} % largest");
                Assert.True(iou >= 0.5, $"{c}: the box found overlaps dlib's by IoU {iou:0.00}");
                Assert.True(errors.Average() <= 0.03, $"{c}: the landmarks are {100 * errors.Average():0.0} % of the inter-ocular distance from dlib's");
            }
        }
    }

    [RealPhotosFact]
    public void Should_find_no_face_in_a_baboon_and_name_the_photo()
    {
        using var handle = FaceModels.CreateFinder(new FaceOptions());
        foreach (var name in DerivedPhotos.Cases)
        {
            var e = Assert.Throws<ImageDecodeException>(() => handle.Finder.Find(RealPhotos.Case("baboon.jpg", name), $"baboon.jpg ({name})"));
            Assert.Equal($"baboon.jpg ({name}): no face found", e.Message);
        }
    }

    [RealPhotosFact]
    public void Should_refuse_a_face_under_the_minimum_size_saying_the_minimum()
    {
        using var handle = FaceModels.CreateFinder(new FaceOptions());

        var e = Assert.Throws<ImageDecodeException>(() => handle.Finder.Find(RealPhotos.Read("messi5.jpg"), "messi5.jpg"));

        Assert.StartsWith("messi5.jpg: the face found is too small: 3", e.Message);
        Assert.EndsWith("the minimum is 40 px", e.Message);
    }

    [RealPhotosFact]
    public void Should_give_the_quad_corners_in_the_recipes_order_around_the_face()
    {
        using var handle = FaceModels.CreateFinder(new FaceOptions());
        var face = Assert.Single(handle.Finder.Find(RealPhotos.Read("astronaut.png"), "astronaut.png").Faces);
        var nose = face.Landmarks[30];
        var q = face.Quad;

        Assert.True(q.TopLeft.X < nose.X && q.TopLeft.Y < nose.Y, "top-left");
        Assert.True(q.BottomLeft.X < nose.X && q.BottomLeft.Y > nose.Y, "bottom-left");
        Assert.True(q.BottomRight.X > nose.X && q.BottomRight.Y > nose.Y, "bottom-right");
        Assert.True(q.TopRight.X > nose.X && q.TopRight.Y < nose.Y, "top-right");
        Assert.InRange(q.Size, 150, 200);
    }
}
