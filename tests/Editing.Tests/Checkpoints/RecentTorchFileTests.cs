using Pipeline.Editing.Checkpoints;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Checkpoints;

/// <summary>Files written by PyTorch 2.11 (see Data/README.md): today's layout, views, Parameters, refused formats.</summary>
public class When_reading_files_written_by_a_recent_torch : IDisposable
{
    readonly StateDict _expected = SafeTensorsFile.Read(DataFile("t_expected.safetensors"));

    static string DataFile(string name) => Path.Combine(FixturePaths.Root, "tests", "Editing.Tests", "Checkpoints", "Data", name);

    void AssertSame(string expectedName, Tensor actual)
    {
        var e = _expected[expectedName];
        Assert.Equal(e.dtype, actual.dtype);
        Assert.Equal(e.shape, actual.shape);
        Assert.True(e.equal(actual).all().item<bool>(), $"{expectedName} differs");
    }

    [Fact]
    public void Should_read_a_module_state_dict_with_every_dtype_in_module_order()
    {
        using var c = CheckpointReader.Read(DataFile("t_plain.pt"));

        Assert.Equal(CheckpointKind.PlainStateDict, c.Kind);
        // Sequential(Conv2d, BatchNorm2d, PReLU).state_dict() then the extras, in insertion order (see Data/README.md);
        // the safetensors reference is sorted by its writer, so it cannot give the order.
        string[] order =
        [
            "0.weight", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked", "2.weight",
            "x.half", "x.bf16", "x.mask", "x.i8", "x.u8", "x.i16", "x.i32", "x.f64",
        ];
        Assert.Equal(order, c.StateDict.Keys);
        foreach (var name in order) AssertSame(name, c.StateDict[name]);
    }

    [Fact]
    public void Should_rebuild_tensors_that_share_a_storage_as_views_of_it()
    {
        using var c = CheckpointReader.Read(DataFile("t_shared.pt"));

        foreach (var (name, t) in c.StateDict) AssertSame("shared." + name, t);
        c.StateDict["base"][5] = -1f;
        Assert.Equal(-1f, c.StateDict["T"][5, 0].item<float>());  // T = base.view(4,6).t(): T[5,0] is base[5]
        Assert.Equal(-1f, c.StateDict["tail"][0, 3].item<float>());  // tail = base[2:].view(2,11)
    }

    [Fact]
    public void Should_unwrap_parameters_into_tensors()
    {
        using var c = CheckpointReader.Read(DataFile("t_params.pt"));

        Assert.Equal(new[] { "w", "b" }, c.StateDict.Keys);
        foreach (var (name, t) in c.StateDict) AssertSame("params." + name, t);
    }

    [Fact]
    public void Should_read_a_psp_container_and_split_it_by_prefix()
    {
        using var c = CheckpointReader.Read(DataFile("t_psp.pt"));

        Assert.Equal(CheckpointKind.PspContainer, c.Kind);
        var encoder = c.Section("encoder.");
        foreach (var (name, t) in encoder) AssertSame(name, t);
        Assert.Equal(new[] { "x" }, c.Section("decoder").Keys);
        AssertSame("latent_avg", c.LatentAvg!);
        Assert.Equal(new object?[] { 1024L, 0.5, "x", null, true }, c.Opts.Values);
        Assert.Throws<ArgumentException>(() => c.Section("generator_ema"));
    }

    [Fact]
    public void Should_detect_an_mmgen_checkpoint_inside_an_mmcv_container()
    {
        using var c = CheckpointReader.Read(DataFile("t_mmgen.pt"));

        Assert.Equal(CheckpointKind.MmgenCheckpoint, c.Kind);
        Assert.Equal(new[] { "w" }, c.Section("generator_ema").Keys);
        Assert.Equal(new[] { "w" }, c.Section("discriminator").Keys);
        Assert.True(c.Root!.ContainsKey("meta"));
    }

    [Fact]
    public void Should_read_a_legacy_non_zip_file_like_the_zip_one()
    {
        using var legacy = CheckpointReader.Read(DataFile("t_legacy.pt"));
        using var zip = CheckpointReader.Read(DataFile("t_plain.pt"));

        Assert.Equal(zip.StateDict.Keys, legacy.StateDict.Keys);
        foreach (var (name, t) in legacy.StateDict) AssertSame(name, t);
    }

    [Fact]
    public void Should_refuse_torchscript_files_with_the_way_out()
    {
        var jit = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(DataFile("t_jit.pt")));

        Assert.Contains("TorchScript", jit.Message);
    }

    public void Dispose() => _expected.Dispose();
}
