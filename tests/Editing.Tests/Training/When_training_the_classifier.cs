using Pipeline.Editing.Training;
using Xunit;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Training;

public class When_training_the_classifier
{
    [Fact]
    public void Should_lower_the_loss_and_give_a_normalised_grad_cam()
    {
        var dir = Directory.CreateTempSubdirectory("classifier-").FullName;
        using var data = TinyTrainingData.Images(64);
        manual_seed(2);
        using var model = new AttributeClassifier(new AttributeClassifierConfig { ImageSize = TinyTrainingData.Size, Widths = new() { 8, 16 }, CamWidth = 16, Attributes = data.AttributeNames.ToList() });
        var progress = new RecordingProgress();
        var options = new TrainingOptions { OutDir = dir, Steps = 40, BatchSize = 16, LearningRate = 5e-3, Seed = 1, CheckpointEvery = 100 };
        var outcome = new ClassifierTrainer(model, options, heldOut: 16).Run(data, progress, "test");

        var bce = progress.Steps.Select(s => s.Losses["bce"]).ToList();
        Assert.True(bce.TakeLast(5).Average() < 0.7 * bce.Take(5).Average(), $"bce went {string.Join(", ", bce.Select(v => v.ToString("0.000")))}");
        Assert.All(outcome.Metrics.Values, v => Assert.InRange(v, 0, 1));

        var (x, _) = data.Slice(0, 4);
        using var cam = model.GradCam(x, 0, ones(4));
        Assert.Equal(new long[] { 4, 1, TinyTrainingData.Size, TinyTrainingData.Size }, cam.shape);
        Assert.True(cam.min().item<float>() >= 0 && cam.max().item<float>() <= 1 + 1e-5);
    }
}
