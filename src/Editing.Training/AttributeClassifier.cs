using Pipeline.Editing.Networks;
using LeakyReLU = Pipeline.Editing.Networks.LeakyReLU;
using Pipeline.Editing.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Editing.Training;

/// <summary>
/// A small CNN that judges the world's attributes (multi-label logits), used to score edits and, by Grad-CAM on its
/// last conv stage, as the baseline mask of the paper's Fig. 4.
/// </summary>
public sealed class AttributeClassifier : nn.Module<Tensor, Tensor>
{
    /// <summary>Floor of the CAM peak it divides by, so an all-zero map stays zero.</summary>
    static readonly Scalar MinCamPeak = 1e-12;

    const double Slope = 0.2;

    private readonly Sequential features;
    private readonly Linear head;

    public AttributeClassifier(AttributeClassifierConfig config) : base(nameof(AttributeClassifier))
    {
        config.Validate();
        Config = config;
        var layers = new List<nn.Module<Tensor, Tensor>>();
        int c = 3;
        foreach (var w in config.Widths)
        {
            layers.Add(new TailSafeConv2d(c, w, 3, stride: 2, padding: 1));
            layers.Add(nn.BatchNorm2d(w));
            layers.Add(new LeakyReLU(Slope));
            c = w;
        }
        layers.Add(new TailSafeConv2d(c, config.CamWidth, 3, stride: 1, padding: 1));
        layers.Add(new LeakyReLU(Slope));
        features = nn.Sequential(layers);
        head = nn.Linear(config.CamWidth, config.Attributes.Count);
        RegisterComponents();
    }

    public AttributeClassifierConfig Config { get; }

    /// <summary>images [B,3,S,S] in [−1,1] → logits [B,A].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Head(Features(x)).MoveToOuterDisposeScope();
    }

    /// <summary>The Grad-CAM layer's activations [B,C,S/2^k,S/2^k].</summary>
    public Tensor Features(Tensor x) => features.call(x);

    /// <summary>Global average pool and linear head: [B,C,h,w] → [B,A].</summary>
    public Tensor Head(Tensor f) => head.call(f.mean([2, 3]));

    /// <summary>
    /// Grad-CAM (Selvaraju et al.) of the score <c>sign·logit[attribute]</c> for each image: channel weights are the
    /// spatial mean of the score's gradient, the map is ReLU(Σ weight·activation), bilinearly upsampled to the image and
    /// divided by its maximum → [B,1,S,S] in [0,1].
    /// </summary>
    public Tensor GradCam(Tensor images, int attribute, Tensor sign)
    {
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        var f = Features(images.detach()).detach().requires_grad_(true);
        var score = (Head(f)[.., attribute] * sign).sum();
        var g = autograd.grad(new[] { score }, new[] { f })[0];          // [B,C,h,w]
        var weights = g.mean([2, 3], keepdim: true);
        var cam = nn.functional.relu((weights * f).sum(1, keepdim: true)).detach();
        cam = nn.functional.interpolate(cam, new long[] { images.shape[2], images.shape[3] }, mode: InterpolationMode.Bilinear, align_corners: false);
        var max = cam.amax(new long[] { 1, 2, 3 }, keepdim: true).clamp_min(MinCamPeak);
        return (cam / max).MoveToOuterDisposeScope();
    }
}
