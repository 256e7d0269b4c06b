using Pipeline.Editing.Checkpoints;
using Op = Pipeline.Editing.Checkpoints.PickleOpcodes;

namespace Pipeline.Editing.Tests.Checkpoints;

/// <summary>Pickles that would run code under Python's unpickler must be refused, by name, before anything runs.</summary>
public class When_a_checkpoint_pickle_names_a_forbidden_global : IDisposable
{
    readonly string _marker = Path.Combine(Path.GetTempPath(), $"pwned-{Guid.NewGuid():N}");
    readonly List<string> _files = new();

    string Zip(byte[] pickle, IEnumerable<(string, byte[])>? storages = null)
    {
        var path = TorchZip.Write(pickle, storages);
        _files.Add(path);
        return path;
    }

    [Fact]
    public void Should_refuse_os_system_by_name_and_run_nothing()
    {
        var pickle = new PickleBytes().Proto(2).Global("os", "system").Str($"touch {_marker}").Op_(Op.Tuple1).Op_(Op.Reduce).Op_(Op.Stop).ToArray();
        var path = Zip(pickle);

        var e = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(path));

        Assert.Contains("refused global 'os.system'", e.Message);
        Assert.Contains(path, e.Message);
        Assert.False(File.Exists(_marker), "the pickled command ran");
    }

    [Fact]
    public void Should_refuse_builtins_eval_reached_through_stack_global()
    {
        var pickle = new PickleBytes().Proto(4).ShortStr("builtins").ShortStr("eval").Op_(Op.StackGlobal)
            .Str($"open('{_marker}', 'w')").Op_(Op.Tuple1).Op_(Op.Reduce).Op_(Op.Stop).ToArray();
        var path = Zip(pickle);

        var e = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(path));

        Assert.Contains("'builtins.eval'", e.Message);
        Assert.False(File.Exists(_marker), "the pickled expression ran");
    }

    [Theory]
    [InlineData("posix", "system")]
    [InlineData("subprocess", "Popen")]
    [InlineData("torch.nn.modules.conv", "Conv2d")]
    [InlineData("argparse", "Namespace")]
    [InlineData("torch", "load")]
    [InlineData("collections", "defaultdict")]
    public void Should_refuse_every_global_outside_the_state_dict_allow_list(string module, string name)
    {
        var pickle = new PickleBytes().Proto(2).Global(module, name).Op_(Op.EmptyTuple).Op_(Op.Reduce).Op_(Op.Stop).ToArray();

        var e = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(Zip(pickle)));

        Assert.Contains($"refused global '{module}.{name}'", e.Message);
    }

    [Fact]
    public void Should_refuse_before_reading_any_storage_named_earlier_in_the_pickle()
    {
        // The tensor's storage record does not exist: an eager reader would fail on it first instead of on the global.
        var pickle = new PickleBytes().Proto(2).Op_(Op.EmptyDict).Op_(Op.Mark)
            .Str("w").Tensor("0", 4, 0, [4], [1])
            .Str("x").Global("os", "system").Str("true").Op_(Op.Tuple1).Op_(Op.Reduce)
            .Op_(Op.SetItems).Op_(Op.Stop).ToArray();

        var e = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(Zip(pickle)));

        Assert.Contains("refused global 'os.system'", e.Message);
    }

    [Theory]
    [InlineData(0xFF, "0xff")]
    [InlineData(Op.NewObj, "NEWOBJ")]
    [InlineData(Op.Inst, "INST")]
    [InlineData(Op.EmptySet, "EMPTY_SET")]
    public void Should_refuse_an_opcode_a_state_dict_does_not_need_naming_it(byte opcode, string expectedName)
    {
        var pickle = new PickleBytes().Proto(2).Op_(opcode).Op_(Op.Stop).ToArray();

        var e = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(Zip(pickle)));

        Assert.Contains(expectedName, e.Message);
    }

    [Fact]
    public void Should_refuse_calling_a_storage_class()
    {
        var pickle = new PickleBytes().Proto(2).Global("torch", "FloatStorage").Op_(Op.EmptyTuple).Op_(Op.Reduce).Op_(Op.Stop).ToArray();

        var e = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(Zip(pickle)));

        Assert.Contains("torch.FloatStorage", e.Message);
    }

    [Fact]
    public void Should_refuse_a_self_referencing_persistent_id_without_looping()
    {
        // pid = L where L = [L]: printing it naively would recurse forever.
        var pickle = new PickleBytes().Proto(2).Op_(Op.EmptyList).Op_(Op.BinPut).Raw(0).Op_(Op.BinGet).Raw(0).Op_(Op.Append)
            .Op_(Op.BinPersId).Op_(Op.Stop).ToArray();

        var e = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(Zip(pickle)));

        Assert.Contains("not a torch.save storage reference", e.Message);
    }

    [Fact]
    public void Should_refuse_a_list_that_contains_itself()
    {
        var pickle = new PickleBytes().Proto(2).Op_(Op.EmptyList).Op_(Op.BinPut).Raw(0).Op_(Op.BinGet).Raw(0).Op_(Op.Append)
            .Op_(Op.Stop).ToArray();

        var e = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(Zip(pickle)));

        Assert.Contains("reference cycle", e.Message);
    }

    public void Dispose()
    {
        foreach (var f in _files) File.Delete(f);
        File.Delete(_marker);
    }
}
