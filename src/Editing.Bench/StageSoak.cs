using System.Diagnostics;
using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Method;
using Pipeline.Editing.Runtime;
using static TorchSharp.torch;

namespace Pipeline.Editing.Bench;

/// <summary>
/// Runs one worker stage's function of <see cref="EditMethod"/> batch after batch while another thread forces a
/// garbage collection every few milliseconds: a Scalar or tensor that nothing holds during a native call is then
/// likely to be freed mid-call, which crashes the process. Inputs are fixed random images in [−1,1]; the stages
/// before the soaked one run once.
/// </summary>
public static class StageSoak
{
    public static readonly string[] Stages = ["invert", "diffcam", "deghost"];

    /// <summary>Calls <paramref name="done"/> after each batch with its number (1-based).</summary>
    public static void Run(EditModels models, string stage, int batches, int batchSize, int gcIntervalMs, Action<int> done)
    {
        if (!Stages.Contains(stage)) throw new ArgumentException($"unknown stage '{stage}' ({string.Join(" | ", Stages)})");
        int side = models.ImageSize;
        var method = new EditMethod(models, new MethodOptions { BatchSize = batchSize });
        var attribute = models.Directions.Keys.OrderBy(k => k, StringComparer.Ordinal).First();
        var chain = EditChain.Resolve(models, [new AttributeEdit(attribute, 1.0)]);
        using var generator = new TorchSharp.torch.Generator(1);
        using var images = (rand([batchSize, 3, side, side], generator: generator) * Scalars.Two - Scalars.One).DetachFromDisposeScope();
        using var inverted = method.RunInvert(images, chain);
        using var diffCam = method.RunDiffCam(images, inverted.Inversion, inverted.Edited, chain);

        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                Thread.Sleep(gcIntervalMs);
            }
        }) { IsBackground = true, Name = "soak-gc" };
        collector.Start();
        try
        {
            for (int b = 1; b <= batches; b++)
            {
                switch (stage)
                {
                    case "invert": method.RunInvert(images, chain).Dispose(); break;
                    case "diffcam": method.RunDiffCam(images, inverted.Inversion, inverted.Edited, chain).Dispose(); break;
                    default: method.RunDeghost(diffCam.Coarse).Dispose(); break;
                }
                done(b);
            }
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
    }
}
