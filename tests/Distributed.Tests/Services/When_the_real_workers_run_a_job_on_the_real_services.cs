using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Distributed.Tests.Support;
using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Imaging;
using Pipeline.Embedded;
using Pipeline.Hosting.Workers;
using Pipeline.Workers.Method;
using Xunit.Abstractions;

namespace Pipeline.Distributed.Tests.Services;

/// <summary>The method itself through the distributed pipeline: RabbitMQ, PostgreSQL, Azurite, the coordinator and the
/// three product worker processes with the Editing-backed processors on the demo pack, against the embedded pipeline
/// with the same processors, items and seed.</summary>
/// <remarks>Tolerances, not equal bytes: see <see cref="MaxLevels"/>.</remarks>
[Collection(RealServicesCollection.Name)]
public sealed class When_the_real_workers_run_a_job_on_the_real_services(ITestOutputHelper output)
{
    private static readonly IReadOnlyList<EditSpec> Edits = [new("smile", 1), new("eyeglasses", 1)];

    /// <summary>Both runs batch items as they arrive, so an item may share its tensor batch with other items in one run
    /// than in the other; libtorch's CPU kernels block a batch by its size, so the float results can differ in the last
    /// bits, which flipped the 8-bit rounding of a few pixels while stages handed each other PNGs (measured: 19 of 12,288
    /// values of a final image, by one level; 0 since they hand over float tensors). Allow a few levels on a few pixels.</summary>
    private const int MaxLevels = 4;

    private const double MeanLevels = 0.1;

    /// <summary>The mask is compared as stored (float): the same flips, expressed in [0,1].</summary>
    private const double MaskTolerance = MaxLevels / 255.0;

    /// <summary>Both runs batch by arrival, so a batch may hold other items: noise from the checkpoint's buffers (the
    /// default) makes an item's result independent of its batch mates.</summary>
    private static readonly JobOptions Options = new(Seed: 7, HalfPrecisionTensors: false,
        new Dictionary<string, string> { [JobSettings.Noise] = "stored" });

    private static List<byte[]> Images()
    {
        var samples = Directory.GetFiles(RepositoryPaths.Samples, "*.png").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        Assert.NotEmpty(samples);
        // Each sample twice: a few batches of several items per stage.
        return [.. samples, .. samples];
    }

    [ServiceFact(ServiceVariables.Postgres, ServiceVariables.RabbitMq, ServiceVariables.Blobs)]
    public async Task Should_produce_the_embedded_run_final_images_and_masks()
    {
        var images = Images();
        await using var deployment = await Deployment.StartAsync(output, realWorkers: true);
        var status = await DistributedJob.RunAsync(deployment,
            new SubmitJobRequest(await DistributedJob.UploadAsync(deployment, images), Edits, Options, MaxInFlight: 8));
        Assert.Equal(("Completed", images.Count, 0), (status.State, status.Completed, status.Failed));

        using var folder = new TempDirectory("pipeline-embedded-real");
        await using var embedded = await EmbeddedPipeline.StartAsync(
            new EmbeddedPipelineOptions
            {
                WorkDirectory = folder.Path,
                Settings = { ["Models:Directory"] = RepositoryPaths.DemoPack, ["WorkerOptions:MaxBatchSize"] = "4" },
            },
            EmbeddedPipeline.AddEditingProcessors,
            CancellationToken.None);
        var items = new List<JobItemSpec>();
        foreach (var image in images)
            items.Add(new JobItemSpec(await embedded.UploadAsync(image, MediaTypes.Png, CancellationToken.None)));
        var accepted = await embedded.SubmitAsync(new SubmitJobRequest(items, Edits, Options, MaxInFlight: 8), CancellationToken.None);
        using var timeout = new CancellationTokenSource(DistributedJob.Timeout);
        var embeddedStatus = await embedded.WaitAsync(accepted.JobId, null, timeout.Token);
        Assert.Equal(("Completed", images.Count), (embeddedStatus.State, embeddedStatus.Completed));

        for (var index = 0; index < images.Count; index++)
        {
            var remote = (await deployment.Client.GetOutputsAsync(status.JobId, index, CancellationToken.None))!.Blobs;
            var local = (await embedded.GetOutputsAsync(accepted.JobId, index, CancellationToken.None))!.Blobs;
            foreach (var role in new[] { "final", "composite" })
            {
                Assert.Equal(local[role].ContentType, remote[role].ContentType);
                var (mean, max) = Difference(await embedded.Blobs.GetAsync(local[role], CancellationToken.None),
                    await deployment.Client.DownloadAsync(remote[role], CancellationToken.None), local[role].ContentType);
                output.WriteLine($"item {index} {role}: mean {mean:0.####}, max {max} levels");
                Assert.True(max <= MaxLevels && mean <= MeanLevels, $"item {index}: the {role} images differ by up to {max} levels (mean {mean:0.###})");
            }
            using var remoteMask = ReadTensors(await deployment.Client.DownloadAsync(remote["mask"], CancellationToken.None));
            using var localMask = ReadTensors(await embedded.Blobs.GetAsync(local["mask"], CancellationToken.None));
            Assert.True(localMask[StagePayloads.MaskTensor].allclose(remoteMask[StagePayloads.MaskTensor], rtol: 0, atol: MaskTolerance),
                $"item {index}: the masks differ by more than {MaxLevels} levels");
        }
    }

    /// <summary>Mean and largest difference in 8-bit levels of two float stage images, quantised here as a saved PNG
    /// would be.</summary>
    private static (double Mean, int Max) Difference(byte[] a, byte[] b, string mediaType)
    {
        var x = Levels(a, mediaType, "embedded");
        var y = Levels(b, mediaType, "distributed");
        Assert.Equal(x.Length, y.Length);
        long sum = 0;
        var max = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var d = Math.Abs(x[i] - y[i]);
            sum += d;
            max = Math.Max(max, d);
        }
        return (sum / (double)x.Length, max);
    }

    private static byte[] Levels(byte[] bytes, string mediaType, string run)
    {
        using var image = StagePayloads.DecodeStageImage(new Payload(bytes, mediaType), run);
        return RgbImage.FromTensor(image).Rgb;
    }

    private static StateDict ReadTensors(byte[] bytes) => StagePayloads.ReadSafeTensors(new Payload(bytes, MediaTypes.SafeTensors), "mask");
}
