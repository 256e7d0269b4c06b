using Pipeline.Cli.Commands;
using Pipeline.Cli.Engines;
using Pipeline.Editing.Bench;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.StyleGan2;
using Pipeline.Editing.Outputs;
using Pipeline.Editing.Runtime;
using Pipeline.Workers.Method;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Method;

/// <summary>
/// A pack on an explicit device: every weight moves there, every stage takes and returns CPU tensors, an explicit
/// <c>cpu</c> gives what the default gives (in one process and through the embedded pipeline), and item.json records the
/// device of each stage. Without a GPU, libtorch's meta device stands in for CUDA: it holds shapes only, so a weight left
/// on the CPU shows, and so does a tensor made on the CPU where the layers meta can run (it has no convolution kernel).
/// </summary>
public class When_running_the_method_on_an_explicit_device : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("device-").FullName;
    public void Dispose() => Directory.Delete(_root, recursive: true);

    string Pack => Path.Combine(_root, "pack");

    static readonly AttributeEdit[] Edits = { new("smile", 1), new("eyeglasses", -1) };

    static IEnumerable<Tensor> Weights(EditModels m) =>
        m.Psp.parameters().Concat(m.Psp.buffers()).Concat(m.DiffCam.parameters()).Concat(m.DiffCam.buffers())
            .Concat(m.Deghost.parameters()).Concat(m.Deghost.buffers())
            .Append(m.LatentAvg!).Concat(m.Directions.Values.Select(d => d.Direction.Vector));

    [Fact]
    public void Should_put_every_weight_latent_avg_and_direction_of_the_pack_on_the_requested_device()
    {
        TinyModelPack.Create(Pack);
        using var meta = EditModels.Load(Pack, ComputeDevice.Meta);
        Assert.Equal("meta", meta.Device.Name);
        var moved = Weights(meta).ToList();
        Assert.True(moved.Count > 100, $"{moved.Count} tensors");
        Assert.All(moved, t => Assert.Equal(DeviceType.META, t.device_type));

        using var cpu = EditModels.Load(Pack, ComputeDevice.Parse("cpu"));
        Assert.Same(ComputeDevice.Cpu, cpu.Device);
        Assert.All(Weights(cpu), t => Assert.Equal(DeviceType.CPU, t.device_type));
    }

    [Fact]
    public void Should_make_the_latents_and_noise_inside_the_method_on_the_device_not_the_cpu()
    {
        // libtorch has no C++ meta kernel for convolutions, so only the layers around them run here: the mapping
        // network, latent_avg, the direction step and every noise source.
        TinyModelPack.Create(Pack);
        using var models = EditModels.Load(Pack, ComputeDevice.Meta);
        using var scope = NewDisposeScope();
        using var _ = inference_mode();
        var device = models.Device.Torch;
        var config = models.Generator.Config;
        var made = new List<Tensor> { models.Generator.Map(empty(2, config.StyleDim, device: device)) };
        var latent = models.Psp.AddLatentAvg(empty(2, models.Psp.Config.NStyles, config.StyleDim, device: device));
        made.Add(latent);
        made.Add(models.Directions["smile"].Direction.Apply(latent, 3));
        foreach (var noise in new[] { NoiseSource.Stored, NoiseSource.Seeded(5), NoiseSource.Fresh })
            made.AddRange(models.Generator.NoiseFor(noise, 2, device).Where(t => t is not null)!);
        Assert.True(made.Count > 3 * 5, $"{made.Count} tensors");
        Assert.All(made, t => Assert.Equal(DeviceType.META, t.device_type));
    }

    [Fact]
    public void Should_refuse_a_bad_models_device_when_a_worker_loads_its_pack()
    {
        TinyModelPack.Create(Pack);
        using var loaded = new LoadedModels(Options.Create(new ModelOptions { Directory = Pack, Device = "gpu" }), NullLogger<LoadedModels>.Instance);
        var e = Assert.Throws<ArgumentException>(() => loaded.EnsureLoaded());
        Assert.Equal("Models:Device 'gpu': expected cpu, cuda or cuda:N", e.Message);
        using var onCpu = new LoadedModels(Options.Create(new ModelOptions { Directory = Pack, Device = "cpu" }), NullLogger<LoadedModels>.Instance);
        Assert.Same(ComputeDevice.Cpu, onCpu.EnsureLoaded().Device);
    }

    [Fact]
    public void Should_give_the_default_outputs_on_an_explicit_cpu_with_every_stage_handing_out_cpu_tensors()
    {
        TinyModelPack.Create(Pack);
        using var byDefault = EditModels.Load(Pack);
        using var onCpu = EditModels.Load(Pack, ComputeDevice.Parse("cpu"));
        using var images = TinyModelPack.Images(2);
        using var a = new EditMethod(byDefault, new MethodOptions()).Run(images, Edits);
        using var b = new EditMethod(onCpu, new MethodOptions()).Run(images, Edits);
        var pairs = new List<(string, Tensor, Tensor)>
        {
            ("latent", a.Latent, b.Latent), ("inversion", a.Inversion, b.Inversion), ("mask", a.Mask, b.Mask),
            ("coarse", a.Coarse, b.Coarse), ("final", a.Final, b.Final),
        };
        for (int i = 0; i < Edits.Length; i++)
        {
            pairs.Add(($"edited {i + 1}", a.Edited[i], b.Edited[i]));
            pairs.Add(($"step mask {i + 1}", a.StepMasks[i], b.StepMasks[i]));
        }
        foreach (var (name, x, y) in pairs)
        {
            Assert.True(x.device_type == DeviceType.CPU && y.device_type == DeviceType.CPU, $"{name} is on {x.device} / {y.device}");
            Assert.True(x.equal(y).all().item<bool>(), $"{name} differs between the default and an explicit cpu");
        }
    }

    [Fact]
    public void Should_find_no_difference_when_the_device_comparison_runs_the_cpu_against_itself()
    {
        TinyModelPack.Create(Pack);
        var rows = DeviceComparison.Run(Pack, ComputeDevice.Cpu, ComputeDevice.Parse("cpu"), batch: 2, seed: 3, _ => { });
        Assert.Equal(new[] { "invert", "diffcam", "compose", "deghost" }, rows.Select(r => r.Stage).Distinct());
        Assert.All(rows, r =>
        {
            Assert.Equal(0, r.MaxAbs);
            Assert.True(r.Passed, $"{r.Stage} {r.Output}");
        });
    }

    [Fact]
    public void Should_edit_through_the_embedded_pipeline_on_an_explicit_cpu_as_by_default_and_record_each_stage_device()
    {
        TinyModelPack.Create(Pack);
        var input = Path.Combine(_root, "in");
        Directory.CreateDirectory(input);
        using (var t = TinyModelPack.Images(1, 11))
            ImageWriter.SavePng(RgbImage.FromTensor(t), Path.Combine(input, "a.png"));
        var options = new MethodOptions { Noise = NoiseMode.Seeded, Seed = 5, BatchSize = 1 };
        var byDefault = Path.Combine(_root, "default");
        var onCpu = Path.Combine(_root, "cpu");
        Assert.Equal(ExitCodes.Ok, EditCommand.Run(input, Edits, null, Pack, byDefault, options, SizeMode.Refuse));
        Assert.Equal(ExitCodes.Ok, EditCommand.Run(input, Edits, null, Pack, onCpu, options, SizeMode.Refuse,
            EngineTarget.Embedded.On(ComputeDevice.Parse("cpu"))));

        foreach (var file in new[] { "final.png", "mask.png", "coarse.png" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(byDefault, "a", file)), File.ReadAllBytes(Path.Combine(onCpu, "a", file)));
        var provenance = ItemProvenance.Read(Path.Combine(onCpu, "a", ItemOutputFolder.ProvenanceFile));
        Assert.Equal(new Dictionary<string, string> { ["invert"] = "cpu", ["diffcam"] = "cpu", ["deghost"] = "cpu" }, provenance.Devices);
    }

    [Fact]
    public void Should_record_the_device_in_item_json_from_the_in_process_engine_and_refuse_cuda_for_a_coordinator()
    {
        TinyModelPack.Create(Pack);
        var input = Path.Combine(_root, "in");
        Directory.CreateDirectory(input);
        using (var t = TinyModelPack.Images(1, 12))
            ImageWriter.SavePng(RgbImage.FromTensor(t), Path.Combine(input, "b.png"));
        var output = Path.Combine(_root, "out");
        Assert.Equal(ExitCodes.Ok, EditCommand.Run(input, Edits, null, Pack, output, new MethodOptions(), SizeMode.Refuse,
            EngineTarget.InProcess.On(ComputeDevice.Parse("cpu"))));
        var provenance = ItemProvenance.Read(Path.Combine(output, "b", ItemOutputFolder.ProvenanceFile));
        Assert.Equal(ItemOutputFolder.StageDevices("cpu"), provenance.Devices);

        var coordinator = EngineTarget.Parse(null, "http://127.0.0.1:1", "key");
        Assert.Same(ComputeDevice.Cpu, coordinator.On(ComputeDevice.Cpu).Device);
        var e = Assert.Throws<ArgumentException>(() => coordinator.On(ComputeDevice.ParseSyntax("cuda")));
        Assert.Contains("Models:Device", e.Message);
    }
}
