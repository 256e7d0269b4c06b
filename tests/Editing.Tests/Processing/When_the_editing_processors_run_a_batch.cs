using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Tests.Method;
using Pipeline.Processing;
using Pipeline.Workers;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Processing;

/// <summary>The three Editing-backed processors chained by hand (no bus, no blobs) on the tiny pack.</summary>
public class When_the_editing_processors_run_a_batch : IDisposable
{
    readonly string _pack = Directory.CreateTempSubdirectory("processors-").FullName;
    readonly LoadedModels _models;

    public When_the_editing_processors_run_a_batch()
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
        var other = new InvertInput(Guid.NewGuid(), Png(5), Edits, options);

        var outcomes = (await invert.InvertAsync([good, corrupt, wrongSize, unknown, nan, other], CancellationToken.None)).ToDictionary(o => o.ItemId);

        Assert.Equal(6, outcomes.Count);
        Assert.Contains("not a readable image", outcomes[corrupt.ItemId].RejectionReason);
        Assert.Contains("40x40", outcomes[wrongSize.ItemId].RejectionReason);
        Assert.Contains("unknown attribute 'wings'", outcomes[unknown.ItemId].RejectionReason);
        Assert.Contains("finite", outcomes[nan.ItemId].RejectionReason);
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
            Assert.Contains(StagePayloads.MillisecondsPrefix + "invert", latent.Metadata.Keys);
        }
    }

    [Fact]
    public async Task Should_make_a_mask_per_edit_and_a_final_image_of_the_pack_size_from_the_invert_outputs()
    {
        var invert = new EditingInvertProcessor(_models);
        var diffCam = new EditingDiffCamProcessor(_models);
        var deghost = new EditingDeghostProcessor(_models);
        await invert.LoadAsync(CancellationToken.None);
        var options = JobOptions.Default;
        var source = Png(7);
        var id = Guid.NewGuid();

        var inverted = (await invert.InvertAsync([new InvertInput(id, source, Edits, options)], CancellationToken.None)).Single().Output!;
        var composed = (await diffCam.ComposeAsync([new DiffCamInput(id, source, inverted.Inversion, inverted.Edited, options, Edits)],
            CancellationToken.None)).Single().Output!;
        var final = (await deghost.DeghostAsync([new DeghostInput(id, composed.Composite, options)], CancellationToken.None)).Single().Output!;

        using var masks = StagePayloads.ReadSafeTensors(composed.Mask, "mask");
        var size = _models.Models.ImageSize;
        Assert.Equal(new long[] { 1, size, size }, masks[StagePayloads.MaskTensor].shape);
        Assert.Equal(new long[] { 1, size, size }, masks[StagePayloads.StepMaskTensor(Edits.Length)].shape);
        // M is the element-wise max of the step masks.
        using var max = maximum(masks[StagePayloads.StepMaskTensor(1)], masks[StagePayloads.StepMaskTensor(2)]);
        Assert.True(max.allclose(masks[StagePayloads.MaskTensor]));
        var image = ImageReader.Read(new MemoryStream(final.Final.Bytes.ToArray()), "final");
        Assert.Equal((size, size), (image.Width, image.Height));

        var missingChain = (await diffCam.ComposeAsync([new DiffCamInput(id, source, inverted.Inversion, inverted.Edited, options)],
            CancellationToken.None)).Single();
        Assert.Contains("no edit chain", missingChain.RejectionReason);
    }
}
