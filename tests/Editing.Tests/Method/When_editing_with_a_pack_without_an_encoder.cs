using System.Text.Json;
using Pipeline.Cli.Commands;
using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.StyleGan2;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Method;

public class When_editing_with_a_pack_without_an_encoder : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("edit-projection-").FullName;
    public void Dispose() => Directory.Delete(_root, recursive: true);

    string Pack => Path.Combine(_root, "pack");
    string Input => Path.Combine(_root, "in");

    /// <summary>The tiny pack, then its pSp replaced by the bare decoder (generator.pt) and the encoder dropped from the manifest.</summary>
    ModelPackManifest CreatePackWithoutEncoder()
    {
        var withEncoder = TinyModelPack.Create(Pack);
        var pspPath = Path.Combine(Pack, withEncoder.Encoder.File);
        using (var generator = new StyleGan2Generator(EditModels.GeneratorConfigOf(withEncoder.Encoder.Generator)))
        {
            using (var ckpt = CheckpointReader.Read(pspPath))
                ModuleState.LoadStrict(generator, ckpt.Section("decoder"), pspPath);
            ModelPackWriter.SaveGenerator(Path.Combine(Pack, ModelPackWriter.GeneratorFile), generator);
        }
        File.Delete(pspPath);
        return ModelPackWriter.WriteManifest(Pack, withEncoder with
        {
            Encoder = new EncoderEntry(),
            Generator = withEncoder.Encoder.Generator with { File = ModelPackWriter.GeneratorFile },
        });
    }

    void SaveImages(params string[] names)
    {
        Directory.CreateDirectory(Input);
        for (int i = 0; i < names.Length; i++)
        {
            using var t = TinyModelPack.Images(1, seed: 30 + i);
            ImageWriter.SavePng(RgbImage.FromTensor(t), Path.Combine(Input, names[i]));
        }
    }

    static MethodOptions Projection(int steps, InversionMethod method = InversionMethod.Projection) => new()
    {
        BatchSize = 2,
        Inversion = method,
        Projection = new ProjectionOptions { Steps = steps, MeanSamples = 64, Seed = 9 },
    };

    [Fact]
    public void Should_invert_by_projection_and_write_every_output_with_the_inversion_in_item_json()
    {
        var manifest = CreatePackWithoutEncoder();
        SaveImages("a.png", "b.png");
        var outDir = Path.Combine(_root, "out");

        int code = EditCommand.Run(Input, new[] { new AttributeEdit("smile", 1) }, null, Pack, outDir, Projection(steps: 4), SizeMode.Refuse);

        Assert.Equal(ExitCodes.Ok, code);
        foreach (var item in new[] { "a", "b" })
            foreach (var f in new[] { "final.png", "mask.png", "coarse.png", "inversion.png", "contact_sheet.png", "item.json" })
                Assert.True(File.Exists(Path.Combine(outDir, item, f)), $"{item}/{f} missing");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "a", "item.json")));
        var inversion = json.RootElement.GetProperty("inversion");
        Assert.Equal("projection", inversion.GetProperty("method").GetString());
        Assert.Equal(4, inversion.GetProperty("steps").GetInt32());
        Assert.Equal(9UL, inversion.GetProperty("seed").GetUInt64());
        Assert.Equal(manifest.Generator!.Sha256, json.RootElement.GetProperty("model_sha256").GetProperty("generator").GetString());
    }

    [Fact]
    public void Should_choose_the_projection_by_itself_and_refuse_an_encoder_it_does_not_have()
    {
        CreatePackWithoutEncoder();
        using var models = EditModels.Load(Pack);
        Assert.False(models.HasEncoder);
        Assert.Throws<InvalidOperationException>(() => models.Psp);

        var auto = new EditMethod(models, Projection(steps: 2, InversionMethod.Auto));
        Assert.Equal(InversionMethod.Projection, auto.Invert.Method);
        using var images = TinyModelPack.Images(1, seed: 5);
        using var result = auto.Run(images, new[] { new AttributeEdit("eyeglasses", 1) });
        Assert.Equal(images.shape, result.Final.shape);
        Assert.True(result.Final.isfinite().all().item<bool>());

        var e = Assert.Throws<ArgumentException>(() => new EditMethod(models, Projection(steps: 2, InversionMethod.Encoder)));
        Assert.Contains("no encoder", e.Message);
    }

    [Fact]
    public void Should_take_the_decoder_and_latent_avg_of_a_psp_file_named_as_the_generator()
    {
        // The demo pack's layout: its generator lives inside psp.pt as decoder.*, beside latent_avg.
        var withEncoder = TinyModelPack.Create(Pack);
        ModelPackWriter.WriteManifest(Pack, withEncoder with
        {
            Encoder = new EncoderEntry(),
            Generator = withEncoder.Encoder.Generator with { File = withEncoder.Encoder.File },
        });
        using var reference = new Pipeline.Editing.Networks.Psp.Psp(EditModels.PspConfigOf(withEncoder));
        using (var ckpt = CheckpointReader.Read(Path.Combine(Pack, withEncoder.Encoder.File)))
            Pipeline.Editing.Networks.Psp.PspWeights.Load(reference, ckpt.StateDict, ckpt.LatentAvg);

        using var models = EditModels.Load(Pack);

        Assert.False(models.HasEncoder);
        Assert.NotNull(models.LatentAvg);
        Assert.True(models.LatentAvg!.eq(reference.LatentAvg!).all().item<bool>());
        var ours = ModuleState.OfficialOrder(models.Generator);
        var theirs = ModuleState.OfficialOrder(reference.Decoder);
        Assert.Equal(theirs.Select(t => t.Name), ours.Select(t => t.Name));
        Assert.All(ours.Zip(theirs), p => Assert.True(p.First.Tensor.eq(p.Second.Tensor).all().item<bool>(), p.First.Name));
        var stage = new EditMethod(models, Projection(steps: 2, InversionMethod.Auto)).Invert;
        Assert.Equal(ProjectionStart.LatentAverage, stage.Projection.ResolvedStart);
    }

    [Fact]
    public void Should_keep_the_encoder_as_the_default_when_the_pack_has_one()
    {
        TinyModelPack.Create(Pack);
        using var models = EditModels.Load(Pack);
        Assert.True(models.HasEncoder);
        Assert.Same(models.Psp.Decoder, models.Generator);
        Assert.Equal(InversionMethod.Psp, new EditMethod(models, new MethodOptions()).Invert.Method);
        Assert.Equal(InversionMethod.Psp, new EditMethod(models, new MethodOptions { Inversion = InversionMethod.Encoder }).Invert.Method);
        Assert.Equal(InversionMethod.Projection, new EditMethod(models, Projection(steps: 2)).Invert.Method);
    }
}
