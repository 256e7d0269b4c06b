using Pipeline.Cli.Commands;
using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.Psp;
using Pipeline.Editing.Runtime;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Psp;

public class When_loading_an_e4e_checkpoint : IDisposable
{
    /// <summary>A reduced encoder (32² input, 16² decoder, 6 W+ rows: 2 from c3, 2 from p2, 2 from p1).</summary>
    static readonly PspConfig Small = new(InputSize: 32, OutputSize: 16, CoarseStyles: 2, MiddleStylesEnd: 4)
    {
        EncoderWidths = [16, 16, 32, 32], EncoderUnits = [1, 1, 1, 1],
    };

    readonly string _dir = Directory.CreateTempSubdirectory("e4e-checkpoint-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string SaveE4e()
    {
        manual_seed(3);
        using var psp = new Networks.Psp.Psp(Small with { EncoderType = EncoderType.Encoder4Editing });
        using var avg = randn(Small.NStyles, Small.StyleDim);
        psp.SetLatentAvg(avg);
        var path = Path.Combine(_dir, "e4e.pt");
        ModelPackWriter.SavePsp(path, psp);
        return path;
    }

    [Fact]
    public void Should_repeat_w0_over_the_rows_and_add_each_rows_head_as_its_delta()
    {
        manual_seed(5);
        using var psp = new GradualStyleEncoder(Small);
        using var e4e = new GradualStyleEncoder(Small with { EncoderType = EncoderType.Encoder4Editing });
        e4e.load_state_dict(psp.state_dict());
        psp.eval();
        e4e.eval();

        using var _ = inference_mode();
        using var x = randn(3, 3, Small.InputSize, Small.InputSize);
        using var heads = psp.call(x);                    // pSp: row i is head i of its FPN level
        using var codes = e4e.call(x);                    // e4e: head 0, then head 0 + head i

        Assert.Equal(heads.shape, codes.shape);
        using var w0 = heads.narrow(1, 0, 1);
        Assert.True(codes.narrow(1, 0, 1).eq(w0).all().item<bool>(), "row 0 is w0");
        using var expected = heads.narrow(1, 1, Small.NStyles - 1) + w0;
        Assert.True(codes.narrow(1, 1, Small.NStyles - 1).allclose(expected, rtol: 0, atol: 1e-6), "rows i ≥ 1 are w0 + Δ_i");
        using var deltas = Encoder4Editing.Deltas(codes);
        Assert.Equal(0f, deltas.narrow(1, 0, 1).abs().max().item<float>());
        Assert.True(deltas.narrow(1, 1, Small.NStyles - 1).allclose(heads.narrow(1, 1, Small.NStyles - 1), rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Should_write_Encoder4Editing_in_opts_and_report_it_in_checkpoint_inspect()
    {
        var path = SaveE4e();
        using (var ckpt = CheckpointReader.Read(path))
        {
            Assert.Equal(CheckpointKind.PspContainer, ckpt.Kind);
            Assert.Equal(EncoderType.Encoder4Editing, EncoderTypes.FromOpts(ckpt.Opts, path));
        }
        var output = new StringWriter();
        var error = new StringWriter();

        int rc = CheckpointCommand.Inspect(new FileInfo(path), output, error);

        Assert.Equal(ExitCodes.Ok, rc);
        var lines = output.ToString().Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains("encoder_type = 'Encoder4Editing'", lines);
        Assert.Contains("encoder: Encoder4Editing (e4e forward)", lines);
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public void Should_refuse_an_unknown_encoder_type_naming_it()
    {
        using (var psp = new Networks.Psp.Psp(Small))
        {
            using var avg = randn(Small.NStyles, Small.StyleDim);
            psp.SetLatentAvg(avg);
            TorchSaveWriter.WritePspContainer(Path.Combine(_dir, "other.pt"), ModuleState.ToStateDict(psp),
                new Dictionary<string, object?> { [EncoderTypes.OptsKey] = "BackboneEncoderUsingLastLayerIntoW" }, psp.LatentAvg);
        }
        var path = Path.Combine(_dir, "other.pt");
        using (var ckpt = CheckpointReader.Read(path))
        {
            var e = Assert.Throws<InvalidDataException>(() => EncoderTypes.FromOpts(ckpt.Opts, path));
            Assert.Contains("'BackboneEncoderUsingLastLayerIntoW'", e.Message);
            Assert.Contains(path, e.Message);
        }
        var error = new StringWriter();
        Assert.Equal(ExitCodes.BadInput, CheckpointCommand.Inspect(new FileInfo(path), new StringWriter(), error));
        Assert.Contains("BackboneEncoderUsingLastLayerIntoW", error.ToString());
    }
}
