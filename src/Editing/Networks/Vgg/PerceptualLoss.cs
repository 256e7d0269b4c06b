using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using Pipeline.Editing.Runtime;

namespace Pipeline.Editing.Networks.Vgg;

/// <summary>
/// The deghosting perceptual loss (official <c>loss/deghosting_losses.py</c>, mmedit <c>PerceptualLoss</c>):
/// weight · Σ_l w_l · criterion(φ_l(x), φ_l(gt)), with φ the frozen VGG16 features of the images mapped [−1,1] → [0,1].
/// Its only child is <c>vgg</c>, so the state keys are <c>vgg.mean</c>, <c>vgg.std</c>, <c>vgg.vgg_layers.*</c>.
/// </summary>
public sealed class PerceptualLoss : Module<Tensor, Tensor, Tensor>
{
    private readonly Vgg16Features vgg;

    public PerceptualLoss(PerceptualLossConfig config) : base(nameof(PerceptualLoss))
    {
        if (config.LayerWeights.Count == 0) throw new ArgumentException("perceptual loss needs at least one VGG layer", nameof(config));
        Config = config;
        vgg = new Vgg16Features(config.LayerWeights.Keys, config.UseInputNorm);
        RegisterComponents();
    }

    public PerceptualLossConfig Config { get; }

    /// <summary>x, gt [B,3,H,W] in [−1,1] (or [0,1] without NormImage) → scalar loss; gt gets no gradient.</summary>
    public override Tensor forward(Tensor x, Tensor gt)
    {
        using var scope = NewDisposeScope();
        var fx = Features(x);
        var fgt = Features(gt.detach());
        Tensor loss = zeros(1, device: x.device).squeeze();
        foreach (var (layer, weight) in Config.LayerWeights)
        {
            using Scalar w = weight;
            loss = loss.Plus(Criterion(fx[layer], fgt[layer]) * w);
        }
        using Scalar perceptualWeight = Config.PerceptualWeight;
        return (loss * perceptualWeight).MoveToOuterDisposeScope();
    }

    /// <summary>The VGG features the loss compares, by torchvision layer index.</summary>
    public Dictionary<int, Tensor> Features(Tensor image)
    {
        using var scope = NewDisposeScope();
        var x01 = Config.NormImage ? image.Plus(Scalars.One) * Scalars.Half : image;
        var features = vgg.call(x01);
        foreach (var t in features.Values) t.MoveToOuterDisposeScope();
        return features;
    }

    Tensor Criterion(Tensor a, Tensor b) => Config.Criterion switch
    {
        PerceptualCriterion.L1 => functional.l1_loss(a, b),
        _ => functional.mse_loss(a, b),
    };
}
