using System.Text.Json;
using Pipeline.Cli.Commands;
using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.Deghosting;
using Pipeline.Editing.Training;
using Pipeline.World;
using Pipeline.World.Evaluation;
using Pipeline.World.Scenes;
using Xunit;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.World;

public class When_running_the_synthetic_benchmark
{
    const int Size = 64;
    static readonly string[] Edited = { "smile", "eyeglasses" };

    /// <summary>A pack of tiny random networks at the world's smallest size, with a world classifier.</summary>
    static string TinyWorldPack()
    {
        var dir = Directory.CreateTempSubdirectory("world-pack-").FullName;
        manual_seed(4);
        var channels = new Dictionary<int, int> { [4] = 16, [8] = 16, [16] = 8, [32] = 8, [64] = 8 };
        var manifest = new ModelPackManifest
        {
            Name = "tiny-world",
            ImageSize = Size,
            Encoder = new EncoderEntry
            {
                File = ModelPackWriter.EncoderFile, InputSize = Size, StyleDim = 16, CoarseStyles = 2, MiddleStylesEnd = 5,
                EncoderWidths = new() { 16, 16, 16, 16 }, EncoderUnits = new() { 1, 1, 1, 1 },
                Generator = new GeneratorEntry { Size = Size, StyleDim = 16, NMlp = 2, ChannelMultiplier = 1, Channels = channels },
            },
            DiffCam = new DiffCamEntry { File = ModelPackWriter.DiffCamFile, ResnetDepth = 18, BaseWidth = 8, SharedLayer3Blocks = 1, NumClass = WorldAttributes.All.Count, InputSize = Size },
            Deghosting = new DeghostingEntry
            {
                File = ModelPackWriter.DeghostingFile, InSize = Size / 2, OutSize = Size, StyleChannels = 16, NumBlocks = 1, NumMid = 8, NumGrow = 4, DecoderTailChannels = 8, Channels = channels,
            },
            Directions = Edited.Select(a => new DirectionEntry { Name = a, File = $"directions/{a}.npy", ClassIndex = WorldAttributes.Names.ToList().IndexOf(a), UnitStrength = 2 }).ToList(),
            Files = new()
            {
                new FileEntry { File = ClassifierCommand.WeightsFile, Role = EvalSyntheticCommand.ClassifierRole },
                new FileEntry { File = ClassifierCommand.ConfigFile, Role = PackCommand.ClassifierConfigRole },
            },
        };
        using (var psp = new Pipeline.Editing.Networks.Psp.Psp(EditModels.PspConfigOf(manifest)))
        {
            using var z = randn(256, 16);
            using var w = psp.Decoder.Map(z).mean([0]);
            using var avg = w.unsqueeze(0).expand(psp.Config.NStyles, -1).contiguous();
            psp.SetLatentAvg(avg);
            ModelPackWriter.SavePsp(Path.Combine(dir, manifest.Encoder.File), psp);
            foreach (var d in manifest.Directions)
            {
                using var n = randn(psp.Config.NStyles, 16, dtype: ScalarType.Float64);
                ModelPackWriter.SaveDirection(Path.Combine(dir, d.File), n);
            }
        }
        using (var dc = new Pipeline.Editing.Networks.DiffCam.DiffCam(EditModels.DiffCamConfigOf(manifest)))
            ModelPackWriter.SaveDiffCam(Path.Combine(dir, manifest.DiffCam.File), dc);
        using (var dg = new DeghostNetwork(EditModels.DeghostingConfigOf(manifest)))
            ModelPackWriter.SaveDeghosting(Path.Combine(dir, manifest.Deghosting.File), dg);
        using (var classifier = new AttributeClassifier(new AttributeClassifierConfig { ImageSize = Size, Widths = new() { 8, 8 }, CamWidth = 8, Attributes = WorldAttributes.Names.ToList() }))
        {
            classifier.eval();
            ClassifierCommand.Save(dir, classifier);
        }
        ModelPackWriter.WriteManifest(dir, manifest);
        return dir;
    }

    [Fact]
    public void Should_write_every_key_of_the_issue_with_finite_values()
    {
        var pack = TinyWorldPack();
        var report = EvalSyntheticCommand.Run(pack, count: 3, seed: 1, batch: 4, _ => { });
        using var doc = JsonDocument.Parse(report.ToJson());
        var root = doc.RootElement;

        Assert.Equal(new[] { "count", "seed", "attributes", "overall", "inversion_psnr_in_domain" }, root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(3, root.GetProperty("count").GetInt32());
        Assert.Equal(1, root.GetProperty("seed").GetInt32());
        Assert.Equal(Edited, root.GetProperty("attributes").EnumerateObject().Select(p => p.Name).ToArray());
        foreach (var scores in root.GetProperty("attributes").EnumerateObject().Select(p => p.Value).Append(root.GetProperty("overall")))
        {
            Assert.Equal(AttributeScores.Keys.Append("by_sign"), scores.EnumerateObject().Select(p => p.Name).ToArray());
            foreach (var p in scores.EnumerateObject().Where(p => p.Name != "by_sign"))
                Assert.True(p.Value.ValueKind == JsonValueKind.Number && double.IsFinite(p.Value.GetDouble()), $"{p.Name} = {p.Value}");
            var bySign = scores.GetProperty("by_sign");
            Assert.Equal(SuccessBySign.Signs, bySign.EnumerateObject().Select(p => p.Name).ToArray());
            foreach (var signed in bySign.EnumerateObject().Select(p => p.Value))
            {
                Assert.Equal(new[] { "count" }.Concat(SuccessBySign.SuccessKeys), signed.EnumerateObject().Select(p => p.Name).ToArray());
                // A sign no scene was edited with has no success, not a made-up one.
                foreach (var key in SuccessBySign.SuccessKeys)
                    if (signed.GetProperty("count").GetInt32() == 0) Assert.Equal(JsonValueKind.Null, signed.GetProperty(key).ValueKind);
                    else Assert.InRange(signed.GetProperty(key).GetDouble(), 0, 1);
            }
        }
        foreach (var key in new[] { "edit_success", "edit_success_coarse", "edit_success_edited_inversion", "edit_success_true" })
            Assert.InRange(root.GetProperty("overall").GetProperty(key).GetDouble(), 0, 1);
        Assert.True(root.GetProperty("inversion_psnr_in_domain").GetDouble() > 0);
        Assert.Contains("overall", report.ToTable());
    }

    [Fact]
    public void Should_split_each_success_into_the_scenes_where_the_attribute_was_added_and_where_it_was_removed()
    {
        const int count = 8, seed = 3;
        var report = EvalSyntheticCommand.Run(TinyWorldPack(), count, seed, batch: 4, _ => { });
        var world = new SyntheticWorld();
        var scenes = Enumerable.Range(0, count).Select(i => world.Sample(seed, i, WorldSplit.Ood)).ToList();
        foreach (var (name, scores) in report.Attributes)
        {
            int off = scenes.Count(s => !WorldAttributes.Find(name).Get(s));
            Assert.Equal(off, scores.BySign["add"].Count);
            Assert.Equal(count - off, scores.BySign["remove"].Count);
            // Each success is the scene-weighted mean of its two halves.
            var all = scores.Values;
            for (int k = 0; k < SuccessBySign.SuccessKeys.Length; k++)
            {
                double whole = all[Array.IndexOf(AttributeScores.Keys, SuccessBySign.SuccessKeys[k])];
                double parts = SuccessBySign.Signs.Select(sign => scores.BySign[sign]).Where(s => s.Count > 0).Sum(s => s.Count * s.Values[k]) / count;
                Assert.Equal(whole, parts, 9);
            }
        }
        Assert.Equal(report.Attributes.Values.Sum(s => s.BySign["add"].Count), report.Overall.BySign["add"].Count);
        Assert.Contains("| smile | add |", report.ToTable());
    }

    [Fact]
    public void Should_score_a_perfect_output_as_perfect()
    {
        using var a = rand(2, 3, 8, 8) * 2 - 1;
        using var region = ones(2, 1, 8, 8);
        Assert.All(BenchmarkMetrics.Psnr(a, a, region), v => Assert.Equal(BenchmarkMetrics.MaxPsnr, v));
        using var mask = zeros(2, 1, 8, 8);
        mask[.., .., 2..4, 2..4] = 1;
        Assert.All(BenchmarkMetrics.Iou(mask, mask), v => Assert.Equal(1.0, v));
        using var dilated = BenchmarkMetrics.Dilate(mask, 1);
        Assert.Equal(16f, dilated[0].sum().item<float>());
    }

    [Fact]
    public void Should_rank_a_perfect_mask_at_one_its_inverse_at_zero_and_a_constant_at_one_half()
    {
        using var truth = zeros(2, 1, 8, 8);
        truth[.., .., 2..5, 3..7] = 1;
        using var soft = truth * 0.7 + 0.2;          // every changed pixel above every unchanged one
        using var inverse = 1 - soft;
        using var constant = full(2, 1, 8, 8, 0.3f);
        Assert.All(BenchmarkMetrics.Auc(soft, truth), v => Assert.Equal(1.0, v, 12));
        Assert.All(BenchmarkMetrics.Auc(inverse, truth), v => Assert.Equal(0.0, v, 12));
        Assert.All(BenchmarkMetrics.Auc(constant, truth), v => Assert.Equal(0.5, v, 12));
        using var empty = zeros(1, 1, 8, 8);
        Assert.True(double.IsNaN(BenchmarkMetrics.Auc(soft[..1], empty)[0]));
    }

    [Fact]
    public void Should_count_a_tie_between_a_changed_and_an_unchanged_pixel_as_one_half()
    {
        // Positives 0.2 and 0.5 against negatives 0.5, 0.9, 0.1: of the six pairs, 0.2 > 0.1 and 0.5 > 0.1 are won,
        // 0.5 = 0.5 is a tie and the other three are lost: (2 + 0.5) / 6.
        double[] scores = { 0.2, 0.5, 0.5, 0.9, 0.1 };
        bool[] positive = { true, true, false, false, false };
        Assert.Equal(2.5 / 6, BenchmarkMetrics.Auc(scores, positive), 12);
        using var soft = tensor(scores.Select(v => (float)v).ToArray(), new long[] { 1, 1, 1, 5 });
        using var truth = tensor(positive.Select(p => p ? 1f : 0f).ToArray(), new long[] { 1, 1, 1, 5 });
        Assert.Equal(2.5 / 6, BenchmarkMetrics.Auc(soft, truth)[0], 6);
    }
}
