using Pipeline.Editing.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Pipeline.Editing.Networks.Losses;

/// <summary>
/// The vanilla GAN loss of Deghosting training (mmedit's <c>GANLoss('vanilla', loss_weight)</c>): binary cross-entropy
/// with logits against an all-real (1) or all-fake (0) target, averaged over the batch. The weight applies to the
/// generator's loss only, as in mmgen/mmedit (<c>is_disc</c> returns the loss unweighted).
/// </summary>
public sealed class GanLoss(double weight = GanLoss.DeghostingWeight)
{
    /// <summary>The Deghosting training weight of the generator's adversarial term.</summary>
    public const double DeghostingWeight = 1e-2;
    static readonly Scalar RealLabel = 1.0, FakeLabel = 0.0;

    public double Weight { get; } = weight;

    /// <summary><c>mean BCEWithLogits(logits, 1 if real else 0)</c>, times the weight unless it is a discriminator loss.</summary>
    public Tensor Loss(Tensor logits, bool targetIsReal, bool isDiscriminator = false)
    {
        using var scope = NewDisposeScope();
        var target = full_like(logits, targetIsReal ? RealLabel : FakeLabel);
        var loss = F.binary_cross_entropy_with_logits(logits, target);
        if (isDiscriminator) return loss.MoveToOuterDisposeScope();
        using Scalar weight = Weight;
        loss = loss * weight;
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>The generator's adversarial loss: <c>weight·BCE(D(fake), 1)</c>.</summary>
    public Tensor Generator(Tensor fakeLogits) => Loss(fakeLogits, targetIsReal: true);

    /// <summary>The discriminator's loss: <c>BCE(D(real), 1) + BCE(D(fake), 0)</c>, unweighted.</summary>
    public Tensor Discriminator(Tensor realLogits, Tensor fakeLogits)
    {
        using var scope = NewDisposeScope();
        var loss = Loss(realLogits, true, isDiscriminator: true).Plus(Loss(fakeLogits, false, isDiscriminator: true));
        return loss.MoveToOuterDisposeScope();
    }
}
