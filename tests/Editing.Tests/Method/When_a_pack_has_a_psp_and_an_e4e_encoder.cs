using System.Text.Json;
using Pipeline.Cli.Commands;
using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.Psp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Method;

public class When_a_pack_has_a_psp_and_an_e4e_encoder : IDisposable
{
    const string E4eFile = "e4e.pt";
    readonly string _root = Directory.CreateTempSubdirectory("pack-e4e-").FullName;
    public void Dispose() => Directory.Delete(_root, recursive: true);

    string Pack => Path.Combine(_root, "pack");

    /// <summary>The tiny pack plus an e4e run's file (the pSp weights with e4e's forward: same keys, same decoder),
    /// added as the pack's second encoder.</summary>
    ModelPackManifest CreatePackWithE4e(Action<Networks.Psp.Psp>? change = null)
    {
        var manifest = TinyModelPack.Create(Pack);
        var run = Path.Combine(_root, "e4e-run");
        Directory.CreateDirectory(run);
        var entry = manifest.Encoder with { EncoderType = nameof(EncoderType.Encoder4Editing) };
        using (var e4e = new Networks.Psp.Psp(EditModels.PspConfigOf(manifest, entry)))
        {
            using (var ckpt = CheckpointReader.Read(Path.Combine(Pack, manifest.Encoder.File)))
                PspWeights.Load(e4e, ckpt.StateDict, ckpt.LatentAvg);
            change?.Invoke(e4e);
            ModelPackWriter.SavePsp(Path.Combine(run, "psp.pt"), e4e);
        }
        File.WriteAllText(Path.Combine(run, ModelPackEncoders.RunFile), """{"command": "train encoder", "last_step": 3}""");
        return ModelPackEncoders.Add(Pack, Path.Combine(run, "psp.pt"));
    }

    static MethodOptions Options(InversionMethod inversion) => new() { BatchSize = 2, Inversion = inversion };

    [Fact]
    public void Should_invert_with_the_encoder_asked_for_and_keep_psp_as_the_default()
    {
        CreatePackWithE4e();
        using var models = EditModels.Load(Pack);
        Assert.Equal([EncoderType.GradualStyleEncoder, EncoderType.Encoder4Editing], models.Encoders.Keys.Order());

        var auto = new EditMethod(models, Options(InversionMethod.Auto)).Invert;
        var e4e = new EditMethod(models, Options(InversionMethod.E4e)).Invert;
        Assert.Equal(InversionMethod.Psp, auto.Method);
        Assert.Equal(InversionMethod.E4e, e4e.Method);

        using var images = TinyModelPack.Images(2, seed: 11);
        using var byPsp = auto.Invert(images);
        using var byE4e = e4e.Invert(images);
        using var x = Composition.AreaDownsample(images, models.Psp.Config.InputSize);
        using var _ = inference_mode();
        using var expected = models.EncoderOf(EncoderType.Encoder4Editing).Encode(x);
        Assert.True(byE4e.Latent.allclose(expected, rtol: 0, atol: 1e-6), "the e4e inversion is the e4e encoder's code");
        Assert.False(byE4e.Latent.allclose(byPsp.Latent, rtol: 0, atol: 1e-3), "the e4e forward differs from pSp's on the same weights");
    }

    [Fact]
    public void Should_record_e4e_in_item_json_through_the_embedded_pipeline()
    {
        var manifest = CreatePackWithE4e();
        var input = Path.Combine(_root, "in");
        Directory.CreateDirectory(input);
        using (var t = TinyModelPack.Images(1, seed: 31))
            ImageWriter.SavePng(RgbImage.FromTensor(t), Path.Combine(input, "a.png"));
        var outDir = Path.Combine(_root, "out");

        int code = EditCommand.Run(input, [new AttributeEdit("smile", 1)], null, Pack, outDir, Options(InversionMethod.E4e), SizeMode.Refuse);

        Assert.Equal(ExitCodes.Ok, code);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "a", "item.json")));
        Assert.Equal("e4e", json.RootElement.GetProperty("inversion").GetProperty("method").GetString());
        Assert.Equal(manifest.OtherEncoders![0].Sha256, json.RootElement.GetProperty("model_sha256").GetProperty("encoder:e4e.pt").GetString());
    }

    [Fact]
    public void Should_refuse_e4e_on_a_pack_without_one_naming_what_it_has()
    {
        TinyModelPack.Create(Pack);
        using var models = EditModels.Load(Pack);

        var e = Assert.Throws<ArgumentException>(() => new EditMethod(models, Options(InversionMethod.E4e)));

        Assert.Contains("no e4e encoder", e.Message);
        Assert.Contains("psp, projection", e.Message);
    }

    [Fact]
    public void Should_refuse_a_second_encoder_whose_decoder_is_not_the_packs_generator()
    {
        var e = Assert.Throws<InvalidDataException>(() => CreatePackWithE4e(e4e =>
        {
            using var _ = no_grad();
            e4e.Decoder.parameters().First().add_(1.0);
        }));

        Assert.Contains(E4eFile, e.Message);
        Assert.Contains("decoder differs", e.Message);
    }

    [Fact]
    public void Should_refuse_a_manifest_type_the_file_does_not_have()
    {
        var manifest = CreatePackWithE4e();
        ModelPackWriter.WriteManifest(Pack, manifest with { OtherEncoders = [manifest.OtherEncoders![0] with { File = manifest.Encoder.File }] });

        var e = Assert.Throws<InvalidDataException>(() => EditModels.Load(Pack));

        Assert.Contains("GradualStyleEncoder", e.Message);
        Assert.Contains("Encoder4Editing", e.Message);
    }

    [Fact]
    public void Should_name_the_added_file_by_its_type_with_its_hash_and_provenance()
    {
        var manifest = CreatePackWithE4e();

        var entry = Assert.Single(manifest.OtherEncoders!);
        Assert.Equal("e4e.pt", entry.File);
        Assert.Equal("Encoder4Editing", entry.EncoderType);
        Assert.Equal(FileHash.Sha256(Path.Combine(Pack, "e4e.pt")), entry.Sha256);
        Assert.Equal(3, manifest.Training!.Value.GetProperty("encoder:e4e").GetProperty("last_step").GetInt32());
        var again = Assert.Throws<InvalidDataException>(() => ModelPackEncoders.Add(Pack, Path.Combine(Pack, manifest.Encoder.File)));
        Assert.Contains("one per type", again.Message);
    }

    [Theory]
    [InlineData(new[] { EditModels.OfficialE4eEncoderFile }, EditModels.OfficialE4eEncoderFile, null)]
    [InlineData(new[] { EditModels.OfficialEncoderFile, EditModels.OfficialE4eEncoderFile }, EditModels.OfficialEncoderFile, EditModels.OfficialE4eEncoderFile)]
    [InlineData(new[] { EditModels.OfficialEncoderFile }, EditModels.OfficialEncoderFile, null)]
    public void Should_read_an_official_folder_with_either_encoder_file(string[] encoders, string main, string? other)
    {
        Directory.CreateDirectory(Pack);
        foreach (var f in encoders.Append(EditModels.OfficialDiffCamFile).Append(EditModels.OfficialDeghostingFile))
            File.WriteAllBytes(Path.Combine(Pack, f), []);

        var manifest = EditModels.OfficialManifest(Pack);

        Assert.Equal(main, manifest.Encoder.File);
        Assert.Equal(other, manifest.OtherEncoders?.Single().File);
        Assert.Null(manifest.Encoder.EncoderType);   // the file's opts decide
    }
}
