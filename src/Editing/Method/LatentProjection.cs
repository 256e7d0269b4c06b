using Pipeline.Editing.Runtime;
using Pipeline.Editing.Networks.StyleGan2;
using Pipeline.Editing.Networks.Vgg;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Pipeline.Editing.Method;

/// <summary>A projection's result: the W+ codes [B,n,D] and the per-image loss after every step [steps][B].</summary>
public sealed record ProjectionResult(Tensor Latent, IReadOnlyList<double[]> Losses) : IDisposable
{
    public void Dispose() => Latent.Dispose();
}

/// <summary>
/// Optimisation-based GAN inversion, the fallback when a model pack has no encoder: only the W+ code is optimised (the
/// generator and VGG stay frozen). Each image's loss is its own mean, and the batch loss is their sum, so Adam moves every
/// image's code exactly as if it were projected alone: batching changes the speed, not the result. CPU tensors in and
/// out; the generator's device inside.
/// </summary>
public sealed class LatentProjection
{
    readonly StyleGan2Generator _generator;
    readonly Tensor? _latentAvg;
    readonly PerceptualLoss? _perceptual;
    readonly Device _device;

    /// <param name="latentAvg">the pack's <c>latent_avg</c> [n,D] (or [D]), null when it has none.</param>
    /// <param name="perceptual">frozen VGG16 features (conv4_3); null leaves only the pixel MSE.</param>
    public LatentProjection(StyleGan2Generator generator, Tensor? latentAvg, ProjectionOptions options, PerceptualLoss? perceptual)
    {
        options.Validate();
        if (perceptual is not null && !perceptual.Config.LayerWeights.ContainsKey(PerceptualLossConfig.Conv4_3))
            throw new ArgumentException("the projection's perceptual term compares VGG16 conv4_3 (layer 21)", nameof(perceptual));
        _generator = generator;
        _latentAvg = latentAvg;
        _perceptual = perceptual;
        _device = ComputeDevice.Of(generator);
        Options = options;
    }

    public ProjectionOptions Options { get; }

    /// <summary>Whether the VGG term takes part (a weight above zero and a network to compute it).</summary>
    public bool UsesPerceptual => _perceptual is not null && Options.PerceptualWeight > 0;

    /// <summary>The start this projection uses, after resolving <see cref="ProjectionStart.Auto"/>.</summary>
    public ProjectionStart ResolvedStart => Options.Start switch
    {
        ProjectionStart.Auto => _latentAvg is null ? ProjectionStart.MappingMean : ProjectionStart.LatentAverage,
        ProjectionStart.LatentAverage when _latentAvg is null => throw new ArgumentException("projection start 'latent_avg' asked for, but the model pack has no latent_avg"),
        var s => s,
    };

    /// <summary>The start code [B,n,D]: latent_avg or the mapping mean of N seeded z, on every row.</summary>
    public Tensor StartLatent(long batch, Device device)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var cfg = _generator.Config;
        Tensor rows;
        if (ResolvedStart == ProjectionStart.LatentAverage)
        {
            var avg = _latentAvg!.to(ScalarType.Float32).to(device);
            rows = avg.dim() == 1 ? avg.unsqueeze(0).expand(cfg.NLatent, -1) : avg;
            if (rows.shape[0] != cfg.NLatent || rows.shape[1] != cfg.StyleDim)
                throw new ArgumentException($"latent_avg must be [{cfg.NLatent},{cfg.StyleDim}] or [{cfg.StyleDim}], got [{string.Join(",", _latentAvg.shape)}]");
        }
        else
        {
            // Drawn on the CPU so a seed gives the same start on every device.
            using var g = new Generator(Options.Seed, CPU);
            var z = randn(new long[] { Options.MeanSamples, cfg.StyleDim }, generator: g).to(device);
            rows = _generator.Map(z).mean([0], keepdim: true).expand(cfg.NLatent, -1);
        }
        return rows.unsqueeze(0).expand(batch, -1, -1).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// images [B,3,S,S] in [−1,1] → W+ [B,n,D] after <see cref="ProjectionOptions.Steps"/> Adam steps. Runs with autograd
    /// even when the caller is in inference mode (only the code needs gradients).
    /// </summary>
    public ProjectionResult Project(Tensor images, NoiseSource noiseSource, CancellationToken cancellationToken = default)
    {
        var cfg = _generator.Config;
        if (images.dim() != 4 || images.shape[1] != 3 || images.shape[2] != cfg.Size || images.shape[3] != cfg.Size)
            throw new ArgumentException($"projection needs images [B,3,{cfg.Size},{cfg.Size}], got [{string.Join(",", images.shape)}]", nameof(images));

        using var notInference = inference_mode(false);
        using var scope = NewDisposeScope();
        var frozen = FreezeGenerator();
        try
        {
            long b = images.shape[0];
            // A clone made outside inference mode is an ordinary tensor, which autograd may save.
            var target = images.OnDevice(_device).detach().clone();
            Tensor? targetFeatures = null;
            List<Tensor> noise;
            using (no_grad())
            {
                // One noise draw for the whole optimisation: the code must explain the image under fixed noise.
                noise = _generator.NoiseFor(noiseSource, b, _device).Select(n => n.detach().clone()).ToList();
                if (UsesPerceptual) targetFeatures = VggFeatures(target).detach();
            }
            using var w = new TorchSharp.Modules.Parameter(StartLatent(b, _device));
            using var optimizer = optim.Adam(new[] { w }, Options.LearningRate, Options.Beta1, Options.Beta2);
            var losses = new List<double[]>(Options.Steps);
            using var grad = enable_grad();
            for (int step = 0; step < Options.Steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var stepScope = NewDisposeScope();
                foreach (var group in optimizer.ParamGroups) group.LearningRate = Options.LearningRateAt((double)step / Options.Steps);
                optimizer.zero_grad();
                var perImage = PerImageLoss(w, noise, target, targetFeatures);     // [B]
                perImage.sum().backward();
                optimizer.step();
                var values = perImage.detach().cpu().data<float>().Select(v => (double)v).ToArray();
                losses.Add(values);
                Options.Progress?.Report(new ProjectionStep(step + 1, Options.Steps, values.Average()));
            }
            return new ProjectionResult(w.detach().OnCpu().clone().MoveToOuterDisposeScope(), losses);
        }
        finally
        {
            foreach (var p in frozen) p.requires_grad = true;
        }
    }

    /// <summary>The per-image loss of a code against a target, as the optimisation measures it ([B]); no gradient.</summary>
    public Tensor Loss(Tensor latent, Tensor images, NoiseSource noiseSource)
    {
        using var notInference = inference_mode(false);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var target = images.OnDevice(_device).detach().clone();
        var noise = _generator.NoiseFor(noiseSource, images.shape[0], _device).Select(n => n.detach().clone()).ToList();
        var features = UsesPerceptual ? VggFeatures(target) : null;
        return PerImageLoss(latent.OnDevice(_device).detach().clone(), noise, target, features).OnCpu().MoveToOuterDisposeScope();
    }

    /// <summary>MSE(G(w), I) + w_p·MSE(φ(G(w)), φ(I)), each a mean over one image: [B].</summary>
    Tensor PerImageLoss(Tensor w, IReadOnlyList<Tensor> noise, Tensor target, Tensor? targetFeatures)
    {
        using var scope = NewDisposeScope();
        var image = _generator.Synthesize(w, noise);                    // [B,3,S,S]
        var loss = (image - target).pow(Scalars.Two).mean([1, 2, 3]);
        if (targetFeatures is not null)
        {
            var features = VggFeatures(image);                             // [B,512,s/8,s/8]
            using Scalar perceptualWeight = Options.PerceptualWeight;
            loss = loss.Plus((features - targetFeatures).pow(Scalars.Two).mean([1, 2, 3]) * perceptualWeight);
        }
        return loss.MoveToOuterDisposeScope();
    }

    Tensor VggFeatures(Tensor image)
    {
        using var scope = NewDisposeScope();
        var x = image.shape[^1] > Options.PerceptualSize ? Composition.AreaDownsample(image, Options.PerceptualSize) : image;
        var features = _perceptual!.Features(x);
        return features[PerceptualLossConfig.Conv4_3].MoveToOuterDisposeScope();
    }

    /// <summary>Stops gradients flowing into the generator's weights (only the code is optimised); returns what to restore.</summary>
    List<Tensor> FreezeGenerator()
    {
        var frozen = new List<Tensor>();
        foreach (var p in _generator.parameters())
            if (p.requires_grad) { p.requires_grad = false; frozen.Add(p); }
        return frozen;
    }
}
