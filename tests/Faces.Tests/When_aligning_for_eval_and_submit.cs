using System.Text.Json;
using Pipeline.Cli.Commands;
using Pipeline.Cli.Commands.Distributed;
using Pipeline.Editing.Evaluation;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Faces.Tests.Support;
using Pipeline.Hosting;

namespace Pipeline.Faces.Tests;

/// <summary><c>--align</c> in <c>eval dataset</c> (the largest face of each photo becomes the evaluated set) and in
/// <c>submit</c> (which pastes back, so it needs to wait for the job).</summary>
public sealed class When_aligning_for_eval_and_submit : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("faces-eval-").FullName;

    [RealPhotosFact]
    public void Should_evaluate_the_largest_aligned_face_of_each_photo_and_leave_out_photos_without_one()
    {
        var input = Directory.CreateDirectory(Path.Combine(_dir, "in")).FullName;
        File.Copy(RealPhotos.Astronaut, Path.Combine(input, "astronaut.png"));
        File.Copy(RealPhotos.Baboon, Path.Combine(input, "baboon.jpg"));
        var options = new EvaluationOptions { InputDir = input, Attributes = [AttributeEdit.Parse("smile")], OutDir = Path.Combine(_dir, "out") };

        var aligned = EvalCommand.AlignInputs(options, EditCommand.DefaultModels, new FaceOptions());

        Assert.Equal(Path.Combine(_dir, "out", "aligned"), aligned.InputDir);
        var face = ImageReader.Read(Assert.Single(DatasetEvaluation.ListImages(aligned.InputDir)));
        Assert.Equal((64, 64), (face.Width, face.Height));
        var items = JsonDocument.Parse(File.ReadAllText(Path.Combine(aligned.InputDir, "faces.json"))).RootElement.GetProperty("items");
        Assert.Contains(items.EnumerateArray(), i => i.GetProperty("file").GetString() == "baboon.jpg" && i.GetProperty("error").GetString() == "no face found");
    }

    [Fact]
    public void Should_refuse_align_in_eval_with_resize_and_in_submit_without_waiting()
    {
        var options = new EvaluationOptions { InputDir = _dir, Attributes = [AttributeEdit.Parse("smile")], OutDir = _dir, SizeMode = SizeMode.ResizeArea };
        Assert.Throws<ArgumentException>(() => EvalCommand.AlignInputs(options, "models/demo", new FaceOptions()));

        var error = new StringWriter();
        var saved = Console.Error;
        Console.SetError(error);
        int code;
        try
        {
            code = SubmitCommand.Create().Parse(["--coordinator", "http://127.0.0.1:1", "--api-key", "k", "--input", _dir, "--edit", "smile=1", "--align"]).Invoke();
        }
        finally
        {
            Console.SetError(saved);
        }

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("give --wait and --out", error.ToString());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
