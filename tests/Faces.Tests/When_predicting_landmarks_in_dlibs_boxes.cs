using Pipeline.Faces.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Faces.Tests;

/// <summary>The C# cascade against dlib itself: the same box in, dlib's landmarks out (tests/fixtures/faces/dlib.jsonl).</summary>
public sealed class When_predicting_landmarks_in_dlibs_boxes(ITestOutputHelper output)
{
    [RealPhotosFact]
    public void Should_rebuild_every_derived_case_byte_for_byte()
    {
        foreach (var c in DlibOracle.Cases)
        {
            var image = RealPhotos.Case(c.File, c.Case);
            Assert.Equal((c.Width, c.Height), (image.Width, image.Height));
            Assert.True(c.Fnv1a64 == DerivedPhotos.Fnv1a64(image), $"{c}: the decoded pixels differ from what dlib read");
        }
    }

    [RealPhotosFact]
    public void Should_put_every_landmark_within_two_percent_of_the_inter_ocular_distance_of_dlibs()
    {
        var cascade = FaceModels.Landmarks(Landmarks.LandmarkCascadeFile.DebianPath);
        var faces = 0;
        foreach (var c in DlibOracle.Cases.Where(c => c.Faces.Count > 0))
        {
            var image = RealPhotos.Case(c.File, c.Case);
            foreach (var face in c.Faces)
            {
                var errors = face.Errors(cascade.Predict(image, face.Box));
                output.WriteLine($"{c}: largest error {100 * errors.Max():0.00} % of {face.InterOcular:0.0} px, {errors.Count(e => e == 0)}/68 on dlib's pixel");
                Assert.True(errors.Max() <= 0.02, $"{c}: a landmark is {100 * errors.Max():0.0} % of the inter-ocular distance from dlib's");
                faces++;
            }
        }
        Assert.Equal(8, faces);
    }
}
