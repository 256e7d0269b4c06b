using Pipeline.Editing.Checkpoints;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests;

public class When_reading_npy_direction_files
{
    [Fact]
    public void Should_round_trip_float64_and_float32_arrays_and_refuse_garbage()
    {
        var path = Path.Combine(Path.GetTempPath(), $"d-{Guid.NewGuid():N}.npy");
        try
        {
            using var d = linspace(-1, 1, 18 * 8, dtype: ScalarType.Float64).reshape(18, 8);
            NpyFile.Write(path, d);
            using var back = NpyFile.Read(path);
            Assert.Equal(ScalarType.Float64, back.dtype);
            Assert.Equal(new long[] { 18, 8 }, back.shape);
            Assert.True(back.equal(d).all().item<bool>());

            using var f = arange(5, dtype: ScalarType.Float32);
            NpyFile.Write(path, f);
            using var fb = NpyFile.Read(path);
            Assert.Equal(new long[] { 5 }, fb.shape);
            Assert.True(fb.equal(f).all().item<bool>());

            var header = "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }\n"u8.ToArray();
            var objectArray = new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0 }.Concat(header).ToArray();
            File.WriteAllBytes(path, objectArray);
            var e = Assert.Throws<CheckpointFormatException>(() => NpyFile.Read(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("|O", e.Message);
        }
        finally { File.Delete(path); }
    }
}
