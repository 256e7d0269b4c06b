using Pipeline.Editing.Checkpoints;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using Pipeline.Editing.Runtime;

namespace Pipeline.Editing.Metrics.Inception;

/// <summary>
/// The FID Inception-v3 of pytorch-fid (<c>fid_inception_v3()</c> wrapped by <c>InceptionV3(resize_input=True,
/// normalize_input=True)</c>): torchvision <c>Inception3(num_classes=1008, aux_logits=False)</c> with the FID blocks
/// swapped in. Fields carry torchvision's names, so the state dict is that of <c>pt_inception-2015-12-05-6726825d.pth</c>.
/// <c>fc</c> is never used for pool3 but is part of the released state.
/// </summary>
public sealed class FidInceptionV3 : Module<Tensor, Tensor>
{
    public const long InputSize = 299;
    public const long Pool3Dims = 2048;
    /// <summary>The TF graph's 1008-way classifier (1000 ImageNet classes + padding).</summary>
    public const long Classes = 1008;

    private readonly BasicConv2d Conv2d_1a_3x3;
    private readonly BasicConv2d Conv2d_2a_3x3;
    private readonly BasicConv2d Conv2d_2b_3x3;
    private readonly BasicConv2d Conv2d_3b_1x1;
    private readonly BasicConv2d Conv2d_4a_3x3;
    private readonly FidInceptionA Mixed_5b;
    private readonly FidInceptionA Mixed_5c;
    private readonly FidInceptionA Mixed_5d;
    private readonly InceptionB Mixed_6a;
    private readonly FidInceptionC Mixed_6b;
    private readonly FidInceptionC Mixed_6c;
    private readonly FidInceptionC Mixed_6d;
    private readonly FidInceptionC Mixed_6e;
    private readonly InceptionD Mixed_7a;
    private readonly FidInceptionE Mixed_7b;
    private readonly FidInceptionE Mixed_7c;
    private readonly Linear fc;

    public FidInceptionV3(FidResizeMode resize = FidResizeMode.Bilinear) : base(nameof(FidInceptionV3))
    {
        Resize = resize;
        Conv2d_1a_3x3 = new BasicConv2d(3, 32, 3, stride: 2);
        Conv2d_2a_3x3 = new BasicConv2d(32, 32, 3);
        Conv2d_2b_3x3 = new BasicConv2d(32, 64, 3, padding: 1);
        Conv2d_3b_1x1 = new BasicConv2d(64, 80, 1);
        Conv2d_4a_3x3 = new BasicConv2d(80, 192, 3);
        Mixed_5b = new FidInceptionA(192, 32);
        Mixed_5c = new FidInceptionA(256, 64);
        Mixed_5d = new FidInceptionA(288, 64);
        Mixed_6a = new InceptionB(288);
        Mixed_6b = new FidInceptionC(768, 128);
        Mixed_6c = new FidInceptionC(768, 160);
        Mixed_6d = new FidInceptionC(768, 160);
        Mixed_6e = new FidInceptionC(768, 192);
        Mixed_7a = new InceptionD(768);
        Mixed_7b = new FidInceptionE(1280, InceptionEPool.Average);
        Mixed_7c = new FidInceptionE(2048, InceptionEPool.Max);
        fc = Linear(Pool3Dims, Classes);
        RegisterComponents();
    }

    public FidResizeMode Resize { get; }

    /// <summary>Images [B,3,H,W] in [0,1], any size → pool3 features [B,2048].</summary>
    public override Tensor forward(Tensor images)
    {
        using var trace = Trace(images);
        return trace.Pool3.clone();
    }

    /// <summary>The same pass, keeping every block output (pytorch-fid's <c>output_blocks=[0,1,2,3]</c> and more).</summary>
    public InceptionTrace Trace(Tensor images)
    {
        if (images.dim() != 4 || images.shape[1] != 3)
            throw new ArgumentException($"Inception expects RGB images [B,3,H,W] in [0,1], got [{string.Join(",", images.shape)}]");
        using var scope = NewDisposeScope();
        var resized = ResizeTo299(images);
        var x = resized * Scalars.Two - Scalars.One;                                             // [0,1] → [−1,1]
        x = Conv2d_2b_3x3.call(Conv2d_2a_3x3.call(Conv2d_1a_3x3.call(x)));   // [B,64,147,147]
        var block0 = InceptionPooling.MaxReduce(x);                          // [B,64,73,73]
        var conv4a = Conv2d_4a_3x3.call(Conv2d_3b_1x1.call(block0));         // [B,192,71,71]
        var block1 = InceptionPooling.MaxReduce(conv4a);                     // [B,192,35,35]
        var mixed5d = Mixed_5d.call(Mixed_5c.call(Mixed_5b.call(block1)));   // [B,288,35,35]
        var block2 = Mixed_6e.call(Mixed_6d.call(Mixed_6c.call(Mixed_6b.call(Mixed_6a.call(mixed5d)))));  // [B,768,17,17]
        x = Mixed_7c.call(Mixed_7b.call(Mixed_7a.call(block2)));             // [B,2048,8,8]
        var pool3 = functional.adaptive_avg_pool2d(x, 1).flatten(1);         // [B,2048]
        return new InceptionTrace
        {
            Resized = resized.MoveToOuterDisposeScope(),
            Block0 = block0.MoveToOuterDisposeScope(),
            Conv2d4a = conv4a.MoveToOuterDisposeScope(),
            Block1 = block1.MoveToOuterDisposeScope(),
            Mixed5d = mixed5d.MoveToOuterDisposeScope(),
            Block2 = block2.MoveToOuterDisposeScope(),
            Pool3 = pool3.MoveToOuterDisposeScope(),
        };
    }

    Tensor ResizeTo299(Tensor images) => Resize switch
    {
        // pytorch-fid resizes unconditionally; at 299 → 299 bilinear is an exact copy.
        FidResizeMode.Bilinear => functional.interpolate(images, [InputSize, InputSize], mode: InterpolationMode.Bilinear, align_corners: false),
        _ => PilBicubicResize.Resize(images, InputSize, InputSize).clamp(Scalars.Zero, Scalars.One),
    };

    /// <summary>
    /// Loads a pytorch-fid state dict (e.g. <c>pt_inception-2015-12-05-6726825d.pth</c>) strictly by name and shape.
    /// The 94 <c>num_batches_tracked</c> counters are optional: files saved before torch 0.4 do not have them, and
    /// they play no part in evaluation.
    /// </summary>
    public static FidInceptionV3 Load(string path, FidResizeMode resize = FidResizeMode.Bilinear)
    {
        var model = new FidInceptionV3(resize);
        try
        {
            using var checkpoint = CheckpointReader.Read(path);
            var source = new StateDict();
            var counters = new List<Tensor>();
            foreach (var (name, _) in ModuleState.OfficialOrder(model))
            {
                if (checkpoint.StateDict.TryGetValue(name, out var t)) source.Add(name, t);
                else if (name.EndsWith(".num_batches_tracked", StringComparison.Ordinal))
                {
                    var zero = zeros([], ScalarType.Int64);
                    counters.Add(zero);
                    source.Add(name, zero);
                }
            }
            foreach (var (name, t) in checkpoint.StateDict)
                if (!source.ContainsKey(name)) source.Add(name, t);
            ModuleState.LoadStrict(model, source, path);
            foreach (var c in counters) c.Dispose();
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
