using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Hosting.Workers;
using Pipeline.Workers.Deghost;
using Pipeline.Workers.DiffCam;
using Pipeline.Workers.Invert;
using Pipeline.Workers.Method;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Method;

/// <summary>The three stage workers' Editing-backed processors chained by hand (no bus, no blobs) on the tiny pack,
/// against the method run in process.</summary>
public class When_the_stage_processors_run_a_batch : IDisposable
{
    readonly string _pack = Directory.CreateTempSubdirectory("processors-").FullName;
    readonly LoadedModels _models;

    public When_the_stage_processors_run_a_batch()
    {
        TinyModelPack.Create(_pack);
        _models = new LoadedModels(Options.Create(new ModelOptions { Directory = _pack }), NullLogger<LoadedModels>.Instance);
    }

    public void Dispose()
    {
        _models.Dispose();
        Directory.Delete(_pack, recursive: true);
    }

    static byte[] Png(long seed, int? size = null)
    {
        using var t = TinyModelPack.Images(1, seed);
        using var sized = size is { } s ? nn.functional.interpolate(t, new long[] { s, s }, mode: InterpolationMode.Bilinear, align_corners: false) : t.alias();
        return ImageWriter.EncodePng(RgbImage.FromTensor(sized));
    }

    static readonly EditSpec[] Edits = [new("smile", 1), new("eyeglasses", -1)];

    [Fact]
    public async Task Should_reject_each_bad_item_with_its_reason_and_finish_the_rest_of_the_batch()
    {
        var invert = new EditingInvertProcessor(_models);
        await invert.LoadAsync(CancellationToken.None);
        var options = new JobOptions(3, HalfPrecisionTensors: true);
        var good = new InvertInput(Guid.NewGuid(), Png(1), Edits, options);
        var corrupt = new InvertInput(Guid.NewGuid(), new byte[] { 1, 2, 3 }, Edits, options);
        var wrongSize = new InvertInput(Guid.NewGuid(), Png(2, size: 40), Edits, options);
        var unknown = new InvertInput(Guid.NewGuid(), Png(3), [new EditSpec("wings", 1)], options);
        var nan = new InvertInput(Guid.NewGuid(), Png(4), [new EditSpec("smile", double.NaN)], options);
        var badSetting = new InvertInput(Guid.NewGuid(), Png(6), Edits, options with { Settings = new Dictionary<string, string> { [JobSettings.Noise] = "loud" } });
        var other = new InvertInput(Guid.NewGuid(), Png(5), Edits, options);

        var outcomes = (await invert.ProcessAsync([good, corrupt, wrongSize, unknown, nan, badSetting, other], CancellationToken.None)).ToDictionary(o => o.ItemId);

        Assert.Equal(7, outcomes.Count);
        Assert.Contains("not a readable image", outcomes[corrupt.ItemId].RejectionReason);
        Assert.Contains("40x40", outcomes[wrongSize.ItemId].RejectionReason);
        Assert.Contains("unknown attribute 'wings'", outcomes[unknown.ItemId].RejectionReason);
        Assert.Contains("strength NaN", outcomes[nan.ItemId].RejectionReason);
        Assert.Contains("'noise' is 'loud'", outcomes[badSetting.ItemId].RejectionReason);
        foreach (var id in new[] { good.ItemId, other.ItemId })
        {
            var output = outcomes[id].Output!;
            Assert.Equal(Edits.Length, output.Edited.Count);
            // Stage images travel as tensors (fp16 here, as the job asks), not as clamped 8-bit PNGs.
            Assert.Equal(MediaTypes.SafeTensors, output.Inversion.MediaType);
            using var inversion = StagePayloads.ReadSafeTensors(output.Inversion, "inversion");
            Assert.Equal(ScalarType.Float16, inversion[StagePayloads.ImageTensor].dtype);
            Assert.Equal(4, inversion[StagePayloads.ImageTensor].dim());
            using var latent = StagePayloads.ReadSafeTensors(output.Latent, "latent");
            Assert.Equal(ScalarType.Float16, latent[StagePayloads.LatentTensor].dtype);
            // Timings travel beside the outputs, never inside them (a recompute must store the same bytes).
            Assert.Contains("invert", outcomes[id].Milliseconds!.Keys);
            Assert.DoesNotContain(latent.Metadata.Keys, key => key.StartsWith("ms:", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Should_compute_what_the_method_computes_in_process_from_one_decoded_input()
    {
        var invert = new EditingInvertProcessor(_models);
        var diffCam = new EditingDiffCamProcessor(_models);
        var deghost = new EditingDeghostProcessor(_models);
        await invert.LoadAsync(CancellationToken.None);
        var options = JobOptions.Default;
        var source = Png(7);
        var id = Guid.NewGuid();

        var inverted = (await invert.ProcessAsync([new InvertInput(id, source, Edits, options)], CancellationToken.None)).Single().Output!;
        var masked = (await diffCam.ProcessAsync([new DiffCamInput(id, inverted.Input, inverted.Inversion, inverted.Edited, options, Edits)],
            CancellationToken.None)).Single().Output!;
        var final = (await deghost.ProcessAsync([new DeghostInput(id, masked.Composite, options)], CancellationToken.None)).Single().Output!;

        using var masks = StagePayloads.ReadSafeTensors(masked.Mask, "mask");
        var size = _models.Models.ImageSize;
        Assert.Equal(new long[] { 1, size, size }, masks[StagePayloads.MaskTensor].shape);
        Assert.Equal(new long[] { 1, size, size }, masks[StagePayloads.StepMaskTensor(Edits.Length)].shape);
        // M is the element-wise max of the step masks.
        using var max = maximum(masks[StagePayloads.StepMaskTensor(1)], masks[StagePayloads.StepMaskTensor(2)]);
        Assert.True(max.allclose(masks[StagePayloads.MaskTensor]));

        // The same stage functions in process, on the input decoded the same way: the same tensors, bit for bit.
        using var input = StagePayloads.DecodeStageImage(inverted.Input, "input");
        using var decoded = ImageReader.Read(new MemoryStream(source), "source").ToTensor();
        Assert.True(decoded.equal(input).all().item<bool>(), "the input the invert stage handed on is not the decoded source");
        using var expected = new EditMethod(_models.Models, new MethodOptions()).Run(input, Edits.Select(e => new AttributeEdit(e.Attribute, e.Strength)).ToList());
        using var actual = StagePayloads.DecodeStageImage(final.Final, "final");
        Assert.True(expected.Final.equal(actual).all().item<bool>(), "the final image differs from the in-process method's");
        Assert.True(expected.Mask.equal(masks[StagePayloads.MaskTensor].unsqueeze(0)).all().item<bool>(), "the mask differs from the in-process method's");

        // The PNG renders: every role, the 8-bit conversion pipeline edit writes, the same bytes when computed again.
        string[] roles = [.. inverted.Pngs.Select(p => p.Role), .. masked.Pngs.Select(p => p.Role), .. final.Pngs.Select(p => p.Role)];
        Assert.Equal(["input", "inversion", "edited-1", "edited-2", "mask", "coarse", "final"], roles);
        Assert.Equal(ImageWriter.EncodePng(RgbImage.FromTensor(expected.Final)), final.Pngs.Single().Bytes.ToArray());
        Assert.Equal(ImageWriter.EncodePng(RgbImage.FromMask(expected.Mask)), masked.Pngs[0].Bytes.ToArray());
        var again = (await deghost.ProcessAsync([new DeghostInput(id, masked.Composite, options)], CancellationToken.None)).Single().Output!;
        Assert.Equal(final.Pngs.Single().Bytes.ToArray(), again.Pngs.Single().Bytes.ToArray());
    }

    [Fact]
    public async Task Should_refuse_a_chain_that_does_not_match_the_edited_images()
    {
        var invert = new EditingInvertProcessor(_models);
        var diffCam = new EditingDiffCamProcessor(_models);
        await invert.LoadAsync(CancellationToken.None);
        var id = Guid.NewGuid();
        var inverted = (await invert.ProcessAsync([new InvertInput(id, Png(8), Edits, JobOptions.Default)], CancellationToken.None)).Single().Output!;

        var shortChain = (await diffCam.ProcessAsync([new DiffCamInput(id, inverted.Input, inverted.Inversion, inverted.Edited, JobOptions.Default, [Edits[0]])],
            CancellationToken.None)).Single();

        Assert.Contains("1 edits but 2 edited images", shortChain.RejectionReason);
    }
}
