using System.Text.Json.Nodes;
using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Parity;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests;

public class When_several_fixtures_share_a_folder
{
    const string Folder = "shared_folder";

    sealed class FirstReader : IParityFixture
    {
        public string Folder => When_several_fixtures_share_a_folder.Folder;
        public void Run(FixtureContext ctx) => ctx.Compare("a", ctx.File("outputs")["a"].clone());
    }

    sealed class SecondReader : IParityFixture
    {
        public string Folder => When_several_fixtures_share_a_folder.Folder;
        public void Run(FixtureContext ctx) => ctx.Compare("b", ctx.File("outputs")["b"] * 1);
    }

    [Fact]
    public void Should_let_a_later_fixture_read_a_file_an_earlier_one_loaded()
    {
        var root = Path.Combine(Path.GetTempPath(), $"tree-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(root, Folder));
        try
        {
            File.WriteAllText(Path.Combine(root, "formula.json"), new JsonObject { ["a"] = 0.37, ["b"] = 1.1, ["c"] = 0.5 }.ToJsonString());
            File.WriteAllText(Path.Combine(root, "tolerances.json"), "{}");
            using (var sd = new StateDict())
            {
                sd.Add("a", arange(4, dtype: ScalarType.Float32));
                sd.Add("b", ones(3));
                SafeTensorsFile.Write(Path.Combine(root, Folder, "outputs.safetensors"), sd);
            }
            var results = new ParityRunner([new FirstReader(), new SecondReader()]).Run(root, _ => { });
            Assert.Equal(["a", "b"], results.Select(r => r.Tensor));
            Assert.True(results.All(r => r.Pass), string.Join("; ", results.Select(r => $"{r.Tensor}: {r.Detail}")));
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
