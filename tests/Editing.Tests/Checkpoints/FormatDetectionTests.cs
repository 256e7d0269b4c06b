using Pipeline.Editing.Checkpoints;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Checkpoints;

/// <summary>The reader goes by content, not by file name.</summary>
public class When_a_checkpoint_has_a_misleading_extension : IDisposable
{
    readonly List<string> _files = new();

    string TempPath(string extension)
    {
        var p = Path.Combine(Path.GetTempPath(), $"fmt-{Guid.NewGuid():N}{extension}");
        _files.Add(p);
        return p;
    }

    [Fact]
    public void Should_read_a_safetensors_file_named_pt_as_safetensors()
    {
        using var sd = new StateDict();
        sd.Add("decoder.w", arange(4, dtype: ScalarType.Float32));
        var path = TempPath(".pt");
        SafeTensorsFile.Write(path, sd);

        using var c = CheckpointReader.Read(path);

        Assert.Equal(CheckpointKind.SafeTensors, c.Kind);
        Assert.True(sd["decoder.w"].equal(c.Section("decoder")["w"]).all().item<bool>());
    }

    [Fact]
    public void Should_read_a_torch_save_file_named_safetensors_as_torch_save()
    {
        using var sd = new StateDict();
        sd.Add("w", arange(4, dtype: ScalarType.Float32));
        var path = TempPath(".safetensors");
        TorchSaveWriter.Write(path, sd);

        using var c = CheckpointReader.Read(path);

        Assert.Equal(CheckpointKind.PlainStateDict, c.Kind);
        Assert.True(sd["w"].equal(c.StateDict["w"]).all().item<bool>());
    }

    public void Dispose()
    {
        foreach (var f in _files) File.Delete(f);
    }
}
