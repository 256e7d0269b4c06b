using System.Text.Json.Nodes;
using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Parity;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests;

public class When_regenerating_fixture_inputs_from_the_formula
{
    [Fact]
    public void Should_reproduce_the_stored_generator_inputs_bit_for_bit()
    {
        var formula = JsonNode.Parse(File.ReadAllText(Path.Combine(FixturePaths.Parity, "formula.json")))!;
        var f = new FormulaConstants(formula["a"]!.GetValue<double>(), formula["b"]!.GetValue<double>(), formula["c"]!.GetValue<double>());
        using var stored = SafeTensorsFile.Read(Path.Combine(FixturePaths.Parity, "stylegan2_generator", "inputs.safetensors"));
        foreach (var (id, name) in new[] { ("gen.z", "z"), ("gen.wplus", "wplus"), ("gen.trunc_latent", "truncation_latent") })
        {
            var reference = stored[name];
            long k = formula["input_ids"]![id]!["k"]!.GetValue<long>();
            using var mine = FormulaWeights.Input(f, k, reference.shape);
            Assert.True(mine.equal(reference).all().item<bool>(), $"{name} differs from the formula");
        }
    }

    [Fact]
    public void Should_round_trip_a_safetensors_file_with_metadata_and_half_precision()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rt-{Guid.NewGuid():N}.safetensors");
        try
        {
            using var sd = new StateDict();
            sd.Add("a", arange(12, dtype: ScalarType.Float32).reshape(3, 4));
            sd.Add("b", tensor(new long[] { 7, -3 }));
            sd.Metadata["seed"] = "42";
            SafeTensorsFile.Write(path, sd);
            using var back = SafeTensorsFile.Read(path);
            Assert.Equal(new[] { "a", "b" }, back.Keys);
            Assert.True(back["a"].equal(sd["a"]).all().item<bool>());
            Assert.Equal(ScalarType.Int64, back["b"].dtype);
            Assert.Equal("42", back.Metadata["seed"]);
            SafeTensorsFile.Write(path, sd, halfPrecision: true);
            using var half = SafeTensorsFile.Read(path);
            Assert.Equal(ScalarType.Float16, half["a"].dtype);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Should_refuse_a_truncated_safetensors_file_with_its_name()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.safetensors");
        File.WriteAllBytes(path, new byte[] { 200, 0, 0, 0, 0, 0, 0, 0, (byte)'{' });
        try
        {
            var e = Assert.Throws<CheckpointFormatException>(() => SafeTensorsFile.Read(path));
            Assert.Contains(path, e.Message);
        }
        finally { File.Delete(path); }
    }
}
