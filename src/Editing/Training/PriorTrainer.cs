using System.Diagnostics;
using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.Discriminator;
using Pipeline.Editing.Networks.Psp;
using Pipeline.Editing.Networks.StyleGan2;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Pipeline.Editing.Training;

/// <summary>What a training run reports at its end: steps done, whether it finished, wall time over all sittings, metrics.</summary>
public sealed record TrainingOutcome(long Step, bool Finished, double WallSeconds, IReadOnlyDictionary<string, double> Metrics);

/// <summary>
/// Trains the demo prior (see <see cref="PriorRecipe"/>): encoder + generator as a W+ autoencoder with a small
/// adversarial term, or the encoder alone against a frozen generator. Resumes from the latest checkpoint in the output
/// folder; a wall-clock budget ends a sitting early with a checkpoint, and the next sitting continues from it.
/// </summary>
public sealed class PriorTrainer(Psp psp, StyleGan2Discriminator? discriminator, PriorRecipe recipe, TrainingOptions options)
{
    public const string WallSecondsKey = "wall_seconds";
    /// <summary>Checkpoint state keys of the recipe a sitting ran with, and of every change between sittings.</summary>
    public const string LearningRateKey = "lr";
    public const string AdversarialWeightKey = "adversarial_weight";
    public const string RecipeHistoryKey = "recipe_history";

    public TrainingOutcome Run(LabelledImageSet data, LatentAverage latentAvg, ITrainingProgress progress, string command, TimeSpan? budget = null)
    {
        if (data.ImageSize != psp.Config.OutputSize)
            throw new ArgumentException($"training images are {data.ImageSize}² but the generator makes {psp.Config.OutputSize}²");
        if (recipe.AdversarialWeight > 0 && recipe.TrainDecoder && discriminator is null)
            throw new ArgumentException("the adversarial term needs a discriminator");
        bool adversarial = recipe.AdversarialWeight > 0 && recipe.TrainDecoder && discriminator is not null;

        foreach (var (name, p) in psp.Decoder.named_parameters())
            p.requires_grad = recipe.TrainDecoder && !name.StartsWith("style.", StringComparison.Ordinal);   // the mapping MLP is unused in W+
        var gParams = psp.parameters().Where(p => p.requires_grad).ToList();
        var gOpt = optim.Adam(gParams, options.LearningRate, options.Beta1, options.Beta2);
        Adam? dOpt = adversarial ? optim.Adam(discriminator!.parameters(), options.LearningRate, options.Beta1, options.Beta2) : null;

        var modules = new Dictionary<string, nn.Module> { ["psp"] = psp, ["latent_avg"] = latentAvg };
        var optimizers = new Dictionary<string, OptimizerHelper> { ["psp_optim"] = gOpt };
        if (adversarial) { modules["discriminator"] = discriminator!; optimizers["discriminator_optim"] = dOpt!; }

        long start = 0;
        double wallBefore = 0;
        string history = "";
        var log = new TrainingLog(Path.Combine(options.OutDir, "log.csv"));
        if (options.Resume && TrainingCheckpoint.TryLoad(options.OutDir, modules, optimizers) is { } state)
        {
            start = state.Step;
            wallBefore = state.Extra.TryGetValue(WallSecondsKey, out var w) ? double.Parse(w, Invariant) : 0;
            history = state.Extra.GetValueOrDefault(RecipeHistoryKey, "");
            log.ResumeAt(start);
            progress.Message($"resumed at step {start}");
            // Adam's saved state carries the old learning rate; this sitting runs at the one it was given.
            foreach (var opt in optimizers.Values)
                foreach (var group in opt.ParamGroups) group.LearningRate = options.LearningRate;
        }
        string sitting = $"lr={options.LearningRate.ToString("R", Invariant)} adversarial={recipe.AdversarialWeight.ToString("R", Invariant)}";
        if (!history.EndsWith(sitting, StringComparison.Ordinal))
        {
            // A checkpoint from before the recipe was recorded has no history: its first recipe is unknown here.
            history = history.Length == 0 && start > 0 ? $"0: unrecorded; {start}: {sitting}" : history.Length == 0 ? $"0: {sitting}" : $"{history}; {start}: {sitting}";
            if (start > 0) progress.Message($"recipe from step {start}: {sitting}");
        }
        psp.SetLatentAvg(latentAvg.Value);

        var sw = Stopwatch.StartNew();
        double Wall() => wallBefore + sw.Elapsed.TotalSeconds;
        void Save(long step) => TrainingCheckpoint.Save(options.OutDir, step, command, modules, optimizers,
            new()
            {
                [WallSecondsKey] = Wall().ToString("R", Invariant),
                [LearningRateKey] = options.LearningRate.ToString("R", Invariant),
                [AdversarialWeightKey] = recipe.AdversarialWeight.ToString("R", Invariant),
                [RecipeHistoryKey] = history,
            });

        int trainCount = Math.Max(1, data.Count - recipe.HeldOut);
        progress.Started(recipe.TrainDecoder ? "prior (encoder + generator)" : "encoder (generator frozen)", start, options.Steps);
        long step = start;
        bool finished = true;
        psp.train();
        discriminator?.train();
        while (step < options.Steps)
        {
            if (budget is { } b && sw.Elapsed >= b) { finished = false; break; }
            using var scope = NewDisposeScope();
            var x = TrainBatch(data, step, trainCount);
            var losses = new Dictionary<string, double>();

            if (adversarial)
            {
                Tensor fake;
                using (no_grad()) fake = Reconstruct(x).Image;
                var dLoss = F.softplus(discriminator!.call(fake)).mean() + F.softplus(-discriminator.call(x)).mean();
                dOpt!.zero_grad();
                dLoss.backward();
                dOpt.step();
                losses["d"] = dLoss.item<float>();
            }

            var (codes, image) = Reconstruct(x);
            var l1 = (image - x).abs().mean();
            var mse = (image - x).pow(2).mean();
            var latent = codes.pow(2).mean();
            var loss = l1 * recipe.L1Weight + mse * recipe.MseWeight + latent * recipe.LatentWeight;
            if (adversarial)
            {
                foreach (var p in discriminator!.parameters()) p.requires_grad = false;
                var adv = F.softplus(-discriminator.call(image)).mean();
                foreach (var p in discriminator.parameters()) p.requires_grad = true;
                loss = loss + adv * recipe.AdversarialWeight;
                losses["g_adv"] = adv.item<float>();
            }
            gOpt.zero_grad();
            loss.backward();
            gOpt.step();
            losses["l1"] = l1.item<float>();
            losses["mse"] = mse.item<float>();
            losses["latent"] = latent.item<float>();
            losses["psnr"] = Psnr(mse.item<float>());
            step++;
            if (step % options.LogEvery == 0) log.Append(step, Wall(), losses);
            progress.Step(step, options.Steps, losses);
            if (step % options.CheckpointEvery == 0) Save(step);
        }
        Save(step);
        psp.eval();
        discriminator?.eval();
        var metrics = new Dictionary<string, double> { ["heldout_psnr"] = HeldOutPsnr(data, trainCount) };
        return new TrainingOutcome(step, finished && step >= options.Steps, Wall(), metrics);
    }

    static readonly System.Globalization.CultureInfo Invariant = System.Globalization.CultureInfo.InvariantCulture;

    /// <summary>A batch drawn from the training part only (the held-out tail is never trained on).</summary>
    Tensor TrainBatch(LabelledImageSet data, long step, int trainCount)
    {
        var (images, labels) = data.Batch(options.Seed, step, options.BatchSize, trainCount);
        labels.Dispose();
        return images;
    }

    /// <summary>W+ codes (offsets from latent_avg) and G(latent_avg + codes) with the stored noise.</summary>
    (Tensor Codes, Tensor Image) Reconstruct(Tensor x)
    {
        var input = Composition.AreaDownsample(x, psp.Config.InputSize);
        var codes = psp.Encoder.call(input);
        var image = psp.Decode(psp.AddLatentAvg(codes), NoiseSource.Stored, resize: false);
        return (codes, image);
    }

    double HeldOutPsnr(LabelledImageSet data, int trainCount)
    {
        int n = data.Count - trainCount;
        if (n <= 0) return double.NaN;
        using var _ = inference_mode();
        using var scope = NewDisposeScope();
        var (x, _) = data.Slice(trainCount, n);
        var image = Reconstruct(x).Image.clamp(-1, 1);
        var mse = (image - x).pow(2).mean([1, 2, 3]);   // per image, range 2
        return mse.cpu().data<float>().ToArray().Select(m => Psnr(m)).Average();
    }

    /// <summary>PSNR in dB of images in [−1,1] (peak-to-peak 2) from their mean squared error.</summary>
    public static double Psnr(double mse) => 10 * Math.Log10(4.0 / Math.Max(mse, 1e-12));
}
