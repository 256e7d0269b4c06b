using System.Buffers.Binary;
using Pipeline.Editing.Checkpoints;
using Op = Pipeline.Editing.Checkpoints.PickleOpcodes;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Checkpoints;

/// <summary>Files we write read back identically, in the layout torch.load expects.</summary>
public class When_writing_a_torch_save_file : IDisposable
{
    readonly string _path = Path.Combine(Path.GetTempPath(), $"rt-{Guid.NewGuid():N}.pt");

    [Fact]
    public void Should_read_back_every_dtype_shape_and_value_in_order()
    {
        using var sd = new StateDict();
        sd.Add("conv.weight", randn(4, 3, 3, 3));
        sd.Add("bn.num_batches_tracked", tensor(7L));  // 0-dim int64
        sd.Add("half", randn(5).to_type(ScalarType.Float16));
        sd.Add("bf16", randn(2, 2).to_type(ScalarType.BFloat16));
        sd.Add("f64", randn(3).to_type(ScalarType.Float64));
        sd.Add("i32", tensor(new[] { -1, 2, int.MaxValue }));
        sd.Add("i16", tensor(new short[] { -5, 5 }));
        sd.Add("i8", tensor(new sbyte[] { -128, 127 }));
        sd.Add("u8", tensor(new byte[] { 0, 255 }));
        sd.Add("mask", tensor(new[] { true, false, true }));
        sd.Add("transposed", arange(6, dtype: ScalarType.Float32).reshape(2, 3).t());  // non-contiguous source
        sd.Add("empty", zeros(0, 3));

        TorchSaveWriter.Write(_path, sd);
        using var back = CheckpointReader.Read(_path);

        Assert.Equal(CheckpointKind.PlainStateDict, back.Kind);
        Assert.Equal(sd.Keys, back.StateDict.Keys);
        foreach (var (name, t) in sd)
        {
            var r = back.StateDict[name];
            Assert.Equal(t.dtype, r.dtype);
            Assert.Equal(t.shape, r.shape);
            Assert.True(t.equal(r).all().item<bool>(), $"{name} differs after the round trip");
        }
        Assert.Empty(back.StateDict["bn.num_batches_tracked"].shape);
        Assert.Equal(7L, back.StateDict["bn.num_batches_tracked"].item<long>());
    }

    [Fact]
    public void Should_round_trip_a_psp_container_with_opts_and_latent_avg()
    {
        using var sd = new StateDict();
        sd.Add("encoder.input_layer.0.weight", randn(64, 3, 3, 3));
        sd.Add("encoder.input_layer.1.num_batches_tracked", tensor(0L));
        sd.Add("decoder.style.1.weight", randn(8, 8));
        var opts = new OrderedDictionary<string, object?>
        {
            ["exp_dir"] = "experiments/ffhq_encode",
            ["output_size"] = 1024L,
            ["max_steps"] = 5_000_000_000L,  // wider than int32: LONG1
            ["offset"] = -70_000L,
            ["learning_rate"] = 0.0001,
            ["train_decoder"] = false,
            ["start_from_latent_avg"] = true,
            ["checkpoint_path"] = null,
            ["label"] = "Ünïcode ✓",
        };
        using var latentAvg = randn(18, 8);

        TorchSaveWriter.WritePspContainer(_path, sd, opts, latentAvg);
        using var back = CheckpointReader.Read(_path);

        Assert.Equal(CheckpointKind.PspContainer, back.Kind);
        Assert.Equal(sd.Keys, back.StateDict.Keys);
        Assert.Equal(opts.Keys, back.Opts.Keys);
        foreach (var (k, v) in opts) Assert.Equal(v, back.Opts[k]);
        Assert.NotNull(back.LatentAvg);
        Assert.True(latentAvg.equal(back.LatentAvg!).all().item<bool>());
        var encoder = back.Section("encoder");
        Assert.Equal(new[] { "input_layer.0.weight", "input_layer.1.num_batches_tracked" }, encoder.Keys);
        Assert.True(sd["encoder.input_layer.0.weight"].equal(encoder["input_layer.0.weight"]).all().item<bool>());
        Assert.Equal(new[] { new PrefixCount("encoder", 2), new PrefixCount("decoder", 1) }, back.Prefixes);
    }

    [Fact]
    public void Should_store_every_record_uncompressed_and_64_byte_aligned_as_torch_does()
    {
        using var sd = new StateDict();
        sd.Add("a", randn(3));
        sd.Add("b", randn(17, 5));
        TorchSaveWriter.Write(_path, sd);

        var bytes = File.ReadAllBytes(_path);
        var names = new List<string>();
        for (int p = 0; BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(p)) == 0x04034b50;)
        {
            ushort method = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(p + 8));
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(p + 18));
            int nameLen = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(p + 26));
            int extraLen = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(p + 28));
            names.Add(System.Text.Encoding.ASCII.GetString(bytes, p + 30, nameLen));
            int data = p + 30 + nameLen + extraLen;
            Assert.Equal(0, method);
            Assert.Equal(0, data % StoredZipWriter.DataAlignment);
            p = data + (int)size;
        }
        var stem = Path.GetFileNameWithoutExtension(_path).Replace("-", "");
        Assert.Equal(new[] { "data.pkl", "byteorder", "data/0", "data/1", "version" }.Select(n => $"{stem}/{n}"), names);
    }

    [Fact]
    public void Should_read_tensors_sharing_one_storage_as_views_of_it()
    {
        // Two tensors on storage "0" = [0..11]: a strided, offset 2x3 view and the whole storage.
        var pickle = new PickleBytes().Proto(2).Op_(Op.EmptyDict).Op_(Op.Mark)
            .Str("view").Tensor("0", 12, 2, [2, 3], [1, 2])
            .Str("whole").Tensor("0", 12, 0, [12], [1])
            .Op_(Op.SetItems).Op_(Op.Stop).ToArray();
        var path = TorchZip.Write(pickle, [("0", TorchZip.Floats(Enumerable.Range(0, 12).Select(i => (float)i).ToArray()))]);
        try
        {
            using var ckpt = CheckpointReader.Read(path);
            var view = ckpt.StateDict["view"];
            using var expected = tensor(new float[] { 2, 4, 6, 3, 5, 7 }).reshape(2, 3);
            Assert.True(view.equal(expected).all().item<bool>());

            ckpt.StateDict["whole"][2] = 100f;
            Assert.Equal(100f, view[0, 0].item<float>());
        }
        finally { File.Delete(path); }
    }

    public void Dispose()
    {
        File.Delete(_path);
    }
}
