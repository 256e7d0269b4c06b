using Pipeline.Editing.Evaluation;
using Pipeline.Editing.Method;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Evaluation;

public class When_measuring_LPIPS_outside_the_mask : IDisposable
{
    readonly EvaluationSetup _setup = new();

    /// <summary>Changes the left half of every image and masks it (attribute "half"), or masks everything ("all").</summary>
    sealed class LeftHalfEditor : IDatasetEditor
    {
        public int ImageSize => TinyModelPackSize;
        public string Description => "left-half test editor";

        public EditedBatch Edit(Tensor images, AttributeEdit edit)
        {
            long half = images.shape[3] / 2;
            var output = images.clone();
            output[.., .., .., ..(int)half] = -images[.., .., .., ..(int)half];
            var mask = zeros(images.shape[0], 1, images.shape[2], images.shape[3]);
            if (edit.Attribute == "all") mask.fill_(1);
            else mask[.., .., .., ..(int)half] = tensor(1f);
            return new EditedBatch(output, mask);
        }
    }

    const int TinyModelPackSize = Method.TinyModelPack.ImageSize;

    [Fact]
    public void Should_average_the_spatial_map_over_unmasked_pixels_and_count_images_with_none()
    {
        var options = new EvaluationOptions
        {
            InputDir = _setup.Images,
            Attributes = [new AttributeEdit("half", 1), new AttributeEdit("all", 1)],
            OutDir = _setup.NewOutDir("masked"),
            LpipsDir = _setup.LpipsDir,
        };
        using var evaluation = new DatasetEvaluation(options, new LeftHalfEditor());

        var result = evaluation.Run();

        var half = result.Attributes[0];
        var all = result.Attributes[1];
        Assert.True(half.LpipsMasked < half.Lpips, $"outside the edit {half.LpipsMasked} should be closer than the whole image {half.Lpips}");
        Assert.Equal(0, half.LpipsMaskedEmpty);
        Assert.Null(all.LpipsMasked);
        Assert.Equal(EvaluationSetup.ImageCount, all.LpipsMaskedEmpty);
        Assert.Null(result.MeanLpipsMasked);
    }

    public void Dispose() => _setup.Dispose();
}
