using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Editing.Networks.DiffCam;

/// <summary>
/// The Differential Activation (DA) module (official <c>model/DA.py</c>): a Siamese ResNet encoder applied to the
/// inversion and to the edited image, whose signed feature difference is classified into the edit direction.
/// Children <c>shared</c> = stem, layer1, layer2, layer3[:split]; <c>classifier</c> = layer3[split:], layer4, avgpool;
/// <c>fc</c>. The layer4 output is the layer H on which Diff-CAM is computed (<see cref="DiffCamMask"/>).
/// </summary>
public sealed class DiffCam : Module<Tensor, Tensor>
{
    private readonly Sequential shared;
    private readonly Sequential classifier;
    private readonly Linear fc;

    public DiffCam(DiffCamConfig config) : base(nameof(DiffCam))
    {
        config.Validate();
        Config = config;
        var layout = config.Layout;
        var layer3 = ResNetTrunk.Stage(layout, 2);
        var sharedChildren = new List<Module<Tensor, Tensor>>(ResNetTrunk.Stem(layout, config.ImageChannels))
        {
            Sequential(ResNetTrunk.Stage(layout, 0)),
            Sequential(ResNetTrunk.Stage(layout, 1)),
        };
        sharedChildren.AddRange(layer3.Take(config.SharedLayer3Blocks));
        var classifierChildren = new List<Module<Tensor, Tensor>>(layer3.Skip(config.SharedLayer3Blocks))
        {
            Sequential(ResNetTrunk.Stage(layout, 3)),
            ResNetTrunk.AvgPool(),
        };
        shared = Sequential(sharedChildren);
        classifier = Sequential(classifierChildren);
        fc = Linear(layout.FinalChannels, config.NumClass);
        RegisterComponents();
    }

    public DiffCamConfig Config { get; }

    /// <summary>The classifier weight [num_class, C]; row t is the closed-form Diff-CAM weight of class t (times h·w).</summary>
    public Tensor ClassWeight => fc.weight!;

    /// <summary>image [B, 2·C_img, H, W] = cat(inversion, edit) → logits [B, num_class].</summary>
    public override Tensor forward(Tensor image)
    {
        using var scope = NewDisposeScope();
        return Classify(Activation(image)).MoveToOuterDisposeScope();
    }

    /// <summary>image [B, 2·C_img, H, W] → layer H = layer4 output [B, C4, H/32, W/32].</summary>
    public Tensor Activation(Tensor image)
    {
        using var scope = NewDisposeScope();
        int c = Config.ImageChannels;
        if (image.dim() != 4 || image.shape[1] != 2 * c)
            throw new ArgumentException($"DiffCam expects [B,{2 * c},H,W] (inversion then edit), got [{string.Join(",", image.shape)}]", nameof(image));
        var inverted = image[.., ..c];                      // [B,3,H,W]
        var edited = image[.., c..(2 * c)];                 // [B,3,H,W]
        var delta = shared.call(edited) - shared.call(inverted);   // [B,1024,H/16,W/16], signed: edit − inversion
        return ClassifierTrunk(delta).MoveToOuterDisposeScope();
    }

    /// <summary>H [B, C4, h, w] → logits [B, num_class] (avgpool, flatten, fc).</summary>
    /// <remarks>
    /// The official code squeezes every singleton dim and unsqueezes a 1-D result back, which for the [B,C,1,1] pool
    /// output is exactly a flatten to [B,C], including B = 1.
    /// </remarks>
    public Tensor Classify(Tensor h)
    {
        using var scope = NewDisposeScope();
        var pooled = classifier[classifier.Count - 1].call(h);   // [B,C4,1,1]
        return fc.call(pooled.flatten(1)).MoveToOuterDisposeScope();          // [B,num_class]
    }

    /// <summary>The Siamese encoder alone: one image [B, C_img, H, W] → [B, 1024, H/16, W/16].</summary>
    public Tensor Shared(Tensor image) => shared.call(image);

    /// <summary>The classifier up to layer4 (layer3[split:], layer4) on a feature difference.</summary>
    public Tensor ClassifierTrunk(Tensor delta)
    {
        using var scope = NewDisposeScope();
        var x = delta;
        for (int i = 0; i < classifier.Count - 1; i++) x = classifier[i].call(x);
        return x.MoveToOuterDisposeScope();
    }
}
