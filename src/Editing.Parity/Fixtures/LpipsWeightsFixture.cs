using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Metrics.Lpips;
using static TorchSharp.torch;

namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>
/// <c>lpips_weights</c> (metrics tree): the released LPIPS v0.1 linear layers, as the original <c>.pth</c> (legacy
/// torch.save, read by our restricted reader) and a safetensors copy. Every tensor of the two must agree exactly,
/// and both must load strictly into the LPIPS linear layers of their network.
/// </summary>
public sealed class LpipsWeightsFixture : IParityFixture
{
    public string Folder => "lpips_weights";

    public void Run(FixtureContext ctx)
    {
        foreach (var stem in ctx.FileStems())
        {
            var net = LpipsNets.Parse(stem);
            var pth = Path.Combine(ctx.Dir, stem + ".pth");
            if (!File.Exists(pth))
            {
                ctx.Fail($"{stem}.pth", "no released .pth beside the safetensors copy");
                continue;
            }
            using var released = CheckpointReader.Read(pth);
            var copy = ctx.File(stem);
            ctx.Check($"{stem}.pth keys = {stem}.safetensors keys", released.StateDict.Keys.SequenceEqual(copy.Keys),
                $"{string.Join(",", released.StateDict.Keys)} vs {string.Join(",", copy.Keys)}");
            foreach (var (name, t) in copy)
            {
                if (!released.StateDict.TryGetValue(name, out var fromPth)) continue;
                ctx.Check($"{stem}/{name} dtype", fromPth.dtype == t.dtype, $"{fromPth.dtype} vs {t.dtype}");
                ctx.CompareAbs($"{stem}/{name}", fromPth, t, 0.0);
            }
            foreach (var (label, path) in new[] { ("pth", pth), ("safetensors", Path.Combine(ctx.Dir, stem + ".safetensors")) })
            {
                using var lpips = new Lpips(net);
                try
                {
                    LpipsWeights.LoadLinear(lpips, path);
                    var loaded = ModuleState.OfficialOrder(lpips).Where(e => e.Name.StartsWith("lin", StringComparison.Ordinal)).ToList();
                    bool same = loaded.All(e => e.Tensor.equal(copy[e.Name]).all().item<bool>());
                    ctx.Check($"{stem}.{label} loads into LPIPS-{stem} lin0..lin4", loaded.Count == Lpips.TapCount && same, "loaded values differ from the file");
                }
                catch (Exception e) when (e is StateDictMismatchException or CheckpointFormatException)
                {
                    ctx.Fail($"{stem}.{label} loads into LPIPS-{stem}", e.Message);
                }
            }
        }
    }
}
