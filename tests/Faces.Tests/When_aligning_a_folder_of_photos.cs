using System.Text.Json;
using Pipeline.Cli.Commands;
using Pipeline.Editing.Imaging;
using Pipeline.Faces.Tests.Support;

namespace Pipeline.Faces.Tests;

/// <summary><c>pipeline align</c> on real photos and bad inputs: one aligned PNG per face, the JSON, per-item errors.</summary>
public sealed class When_aligning_a_folder_of_photos : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("faces-align-").FullName;

    [RealPhotosFact]
    public void Should_write_each_face_and_the_json_and_give_each_bad_photo_its_reason()
    {
        var input = Directory.CreateDirectory(Path.Combine(_dir, "in")).FullName;
        File.Copy(RealPhotos.Astronaut, Path.Combine(input, "astronaut.png"));
        File.Copy(RealPhotos.Baboon, Path.Combine(input, "baboon.jpg"));
        File.Copy(RealPhotos.Messi, Path.Combine(input, "messi5.jpg"));
        ImageWriter.SavePng(RealPhotos.Case("messi5.jpg", "double"), Path.Combine(input, "messi_double.png"));
        File.WriteAllBytes(Path.Combine(input, "huge.png"), PngHeader.Claiming(10_000, 10_000));
        var output = Path.Combine(_dir, "out");
        var json = Path.Combine(_dir, "faces.json");

        var code = AlignCommand.Run(input, output, 64, json, new FaceOptions());

        Assert.Equal(ExitCodes.PartialFailure, code);
        var items = JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.GetProperty("file").GetString()!);
        Assert.Equal(5, items.Count);
        var astronaut = Assert.Single(items["astronaut.png"].GetProperty("faces").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, items["astronaut.png"].GetProperty("error").ValueKind);
        Assert.Equal(4, astronaut.GetProperty("box").GetArrayLength());
        Assert.Equal(68, astronaut.GetProperty("landmarks").GetArrayLength());
        Assert.Equal(4, astronaut.GetProperty("quad").GetArrayLength());
        Assert.Equal("no face found", items["baboon.jpg"].GetProperty("error").GetString());
        Assert.Contains("the minimum is 40 px", items["messi5.jpg"].GetProperty("error").GetString());
        Assert.Contains("over the 67.1 MP limit", items["huge.png"].GetProperty("error").GetString());
        Assert.Single(items["messi_double.png"].GetProperty("faces").EnumerateArray());

        var face = ImageReader.Read(Path.Combine(output, "astronaut_face0.png"));
        Assert.Equal((64, 64), (face.Width, face.Height));
        Assert.True(File.Exists(Path.Combine(output, "messi_double_face0.png")));
        Assert.Equal(2, Directory.GetFiles(output, "*.png").Length);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
