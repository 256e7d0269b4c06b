using System.Buffers.Binary;
using System.IO.Compression;
using Pipeline.Editing.Checkpoints;
using Op = Pipeline.Editing.Checkpoints.PickleOpcodes;

namespace Pipeline.Editing.Tests.Checkpoints;

/// <summary>Files that are damaged or in a format we do not read fail with the file named and the reason given.</summary>
public class When_a_checkpoint_file_is_broken_or_unsupported : IDisposable
{
    readonly List<string> _files = new();

    string Temp(byte[] content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.pt");
        File.WriteAllBytes(path, content);
        _files.Add(path);
        return path;
    }

    static string ContainerFile => Path.Combine(FixturePaths.Parity, "checkpoint_format", "psp_container_subset.pt");

    [Fact]
    public void Should_refuse_a_truncated_zip_naming_the_file()
    {
        var bytes = File.ReadAllBytes(ContainerFile);
        var path = Temp(bytes[..(bytes.Length / 2)]);

        var e = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(path));

        Assert.Equal(path, e.File);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Should_refuse_a_zip_whose_tensor_bytes_were_damaged()
    {
        // The zip structure stays intact; only bytes inside the first storage record (data/0) change.
        var damaged = File.ReadAllBytes(ContainerFile);
        var name = "psp_container_subset/data/0"u8;
        int nameAt = damaged.AsSpan().IndexOf(name);
        int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(damaged.AsSpan(nameAt - 2));
        int dataAt = nameAt + name.Length + extraLength;
        for (int i = dataAt; i < dataAt + 16; i++) damaged[i] ^= 0x5A;
        var path = Temp(damaged);

        var e = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("CRC-32", e.Message);
    }

    [Fact]
    public void Should_say_a_legacy_torch_save_file_cut_after_its_magic_number_is_truncated()
    {
        // Legacy torch.save starts with a protocol-2 pickle of the magic number 0x1950a86a20f9469cfc6c.
        var legacy = new PickleBytes().Proto(2).Op_(Op.Long1).Raw(10, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19).Op_(Op.Stop).ToArray();

        var e = Assert.Throws<PickleTruncatedException>(() => CheckpointReader.Read(Temp(legacy)));

        Assert.Contains("without STOP", e.Message);
    }

    [Fact]
    public void Should_refuse_a_big_endian_checkpoint()
    {
        var pickle = new PickleBytes().Proto(2).Op_(Op.EmptyDict).Op_(Op.Stop).ToArray();
        var path = TorchZip.Write(pickle, byteOrder: "big");
        _files.Add(path);

        var e = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(path));

        Assert.Contains("big-endian", e.Message);
    }

    [Fact]
    public void Should_refuse_a_storage_record_whose_size_differs_from_the_pickle()
    {
        var pickle = new PickleBytes().Proto(2).Op_(Op.EmptyDict).Op_(Op.Mark).Str("w").Tensor("0", 4, 0, [4], [1]).Op_(Op.SetItems).Op_(Op.Stop).ToArray();
        var path = TorchZip.Write(pickle, [("0", TorchZip.Floats(1, 2, 3))]);
        _files.Add(path);

        var e = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(path));

        Assert.Contains("holds 12 bytes but float32[4] needs 16", e.Message);
    }

    [Fact]
    public void Should_refuse_a_tensor_that_reaches_past_its_storage()
    {
        var pickle = new PickleBytes().Proto(2).Op_(Op.EmptyDict).Op_(Op.Mark).Str("w").Tensor("0", 4, 2, [2, 2], [2, 1]).Op_(Op.SetItems).Op_(Op.Stop).ToArray();
        var path = TorchZip.Write(pickle, [("0", TorchZip.Floats(1, 2, 3, 4))]);
        _files.Add(path);

        var e = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(path));

        Assert.Contains("reaches element 5", e.Message);
    }

    [Fact]
    public void Should_refuse_a_deflated_record_that_expands_like_a_zip_bomb()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bomb-{Guid.NewGuid():N}.pt");
        _files.Add(path);
        const int numel = 4 * 1024 * 1024;  // 16 MB of zeros deflates to a few KB
        var pickle = new PickleBytes().Proto(2).Op_(Op.EmptyDict).Op_(Op.Mark).Str("w").Tensor("0", numel, 0, [numel], [1]).Op_(Op.SetItems).Op_(Op.Stop).ToArray();
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using (var s = zip.CreateEntry("t/data.pkl", CompressionLevel.NoCompression).Open()) s.Write(pickle);
            using (var s = zip.CreateEntry("t/data/0", CompressionLevel.SmallestSize).Open()) s.Write(new byte[numel * sizeof(float)]);
        }

        var e = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(path));

        Assert.Contains("zip bomb", e.Message);
    }

    [Fact]
    public void Should_refuse_a_file_that_is_neither_zip_nor_safetensors()
    {
        var e = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(Temp("hello, world"u8.ToArray())));

        Assert.Contains("neither a torch.save zip archive nor a safetensors file", e.Message);
    }

    public void Dispose()
    {
        foreach (var f in _files) File.Delete(f);
    }
}
