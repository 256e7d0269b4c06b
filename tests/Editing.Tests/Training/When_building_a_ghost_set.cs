using System.Text.Json;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Editing.Training;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Training;

public class When_building_a_ghost_set : IDisposable
{
    readonly TrainingWorkspace _ws = new(imageCount: 3, diffCamInputSize: 64);
    public void Dispose() => _ws.Dispose();

    GhostSetOptions Options => new() { InputDir = _ws.Images, OutDir = _ws.Out("ghost"), Seed = 9, AlphaRange = (1.5, 6) };

    [Fact]
    public void Should_composite_the_edit_with_the_folded_mask_and_write_pairs_and_json()
    {
        using var models = EditModels.Load(_ws.Pack);
        var builder = new GhostSetBuilder(models, Options);
        var manifest = builder.Run(new RecordingProgress());

        Assert.Equal(3, manifest.Items.Count);
        var names = manifest.Items.Select(i => i.Name).ToList();
        Assert.Equal(names.Select(n => n + ".png"), Directory.GetFiles(Path.Combine(Options.OutDir, "lq")).Select(Path.GetFileName).Order());
        Assert.Equal(names.Select(n => n + ".png"), Directory.GetFiles(Path.Combine(Options.OutDir, "gt")).Select(Path.GetFileName).Order());
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Options.OutDir, GhostSetManifest.FileName))).RootElement;
        Assert.Equal(9, json.GetProperty("seed").GetInt64());
        Assert.Equal(models.FileHashes["diffcam"], json.GetProperty("pack_sha256").GetProperty("diffcam").GetString());
        foreach (var item in manifest.Items)
        {
            Assert.Contains(item.Direction, TinyModelPackAttributes);
            Assert.InRange(item.Alpha, 1.5, 6);
            Assert.Equal(item.Alpha / models.Direction(item.Direction).UnitStrength, item.Strength, 12);
        }

        // Recompute the first item: same draws, folded mask ≤ 0.5, F = T·M_t + I·(1 − M_t), written as the lq file.
        var first = manifest.Items[0];
        using var image = builder.LoadImage(Path.Combine(_ws.Images, first.Source), first.Name);
        using var sample = builder.Make(image, first.Name, first.Source);
        Assert.Equal(first, sample.Item);
        Assert.False(first.DegenerateMask);
        Assert.True(sample.FoldedMask.max().item<float>() <= 0.5f);
        Assert.True(sample.Mask.max().item<float>() > 0.5f, "the unfolded Diff-CAM mask is min-max normalised, so it reaches 1");
        using var expected = sample.Edited * sample.FoldedMask + image * (1 - sample.FoldedMask);
        Assert.True(sample.Composite.allclose(expected, rtol: 0, atol: 1e-6));
        using var folded = where(sample.Mask > 0.5, 1 - sample.Mask, sample.Mask);
        Assert.True(sample.FoldedMask.equal(folded).all().item<bool>());
        Assert.Equal(RgbImage.FromTensor(sample.Composite).Rgb, ImageReader.Read(Path.Combine(Options.OutDir, "lq", first.Name + ".png")).Rgb);
        Assert.Equal(RgbImage.FromTensor(image).Rgb, ImageReader.Read(Path.Combine(Options.OutDir, "gt", first.Name + ".png")).Rgb);
    }

    [Fact]
    public void Should_resume_by_rebuilding_only_missing_pairs_identically()
    {
        using var models = EditModels.Load(_ws.Pack);
        var manifest = new GhostSetBuilder(models, Options).Run(new RecordingProgress());
        var lq = Path.Combine(Options.OutDir, "lq", manifest.Items[1].Name + ".png");
        var before = File.ReadAllBytes(lq);
        var untouched = Path.Combine(Options.OutDir, "lq", manifest.Items[0].Name + ".png");
        var stamp = File.GetLastWriteTimeUtc(untouched);
        File.Delete(lq);

        var again = new GhostSetBuilder(models, Options).Run(new RecordingProgress());
        Assert.Equal(manifest.Items, again.Items);
        Assert.Equal(before, File.ReadAllBytes(lq));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(untouched));
        Assert.Throws<ArgumentException>(() => new GhostSetBuilder(models, Options with { Seed = 10 }).Run(new RecordingProgress()));
    }

    static readonly string[] TinyModelPackAttributes = Pipeline.Editing.Tests.Method.TinyModelPack.Attributes;
}
