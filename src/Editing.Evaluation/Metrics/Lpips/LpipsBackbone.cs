using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Editing.Metrics.Lpips;

/// <summary>
/// LPIPS' <c>pretrained_networks.alexnet</c>/<c>vgg16</c>: torchvision's <c>features</c> cut into five slices that end
/// at the tapped ReLUs. Children keep torchvision's indices (<c>slice2.3</c> is <c>features[3]</c>), so the state keys
/// are LPIPS' <c>net.slice*.N.*</c> and a torchvision <c>features.N.*</c> file maps onto them by index.
/// </summary>
public sealed class LpipsBackbone : Module<Tensor, Tensor[]>
{
    /// <summary>One torchvision <c>features</c> layer: a conv (out channels, kernel, stride, padding), a ReLU or a 3/2 or 2/2 max pool.</summary>
    internal abstract record Layer;
    internal sealed record Conv(long Out, long Kernel, long Stride, long Padding) : Layer;
    internal sealed record Relu : Layer;
    internal sealed record MaxPool(long Kernel, long Stride) : Layer;

    static readonly Layer[] AlexFeatures =
    [
        new Conv(64, 11, 4, 2), new Relu(), new MaxPool(3, 2),
        new Conv(192, 5, 1, 2), new Relu(), new MaxPool(3, 2),
        new Conv(384, 3, 1, 1), new Relu(),
        new Conv(256, 3, 1, 1), new Relu(),
        new Conv(256, 3, 1, 1), new Relu(),
    ];
    static readonly int[] AlexSliceEnds = [2, 5, 8, 10, 12];

    static readonly Layer[] VggFeatures = BuildVgg16();
    static readonly int[] VggSliceEnds = [4, 9, 16, 23, 30];

    private readonly Sequential slice1;
    private readonly Sequential slice2;
    private readonly Sequential slice3;
    private readonly Sequential slice4;
    private readonly Sequential slice5;

    public LpipsBackbone(LpipsNet net) : base(nameof(LpipsBackbone))
    {
        Net = net;
        var (layers, ends) = net == LpipsNet.Alex ? (AlexFeatures, AlexSliceEnds) : (VggFeatures, VggSliceEnds);
        var slices = new Sequential[ends.Length];
        var channels = new long[ends.Length];
        long inChannels = 3;
        int start = 0;
        for (int s = 0; s < ends.Length; s++)
        {
            var children = new List<(string, Module<Tensor, Tensor>)>();
            for (int i = start; i < ends[s]; i++)
            {
                Module<Tensor, Tensor> m = layers[i] switch
                {
                    Conv c => Conv2d(inChannels, c.Out, c.Kernel, stride: c.Stride, padding: c.Padding),
                    Relu => ReLU(),
                    MaxPool p => MaxPool2d(p.Kernel, p.Stride),
                    _ => throw new InvalidOperationException(),
                };
                if (layers[i] is Conv conv) inChannels = conv.Out;
                children.Add((i.ToString(System.Globalization.CultureInfo.InvariantCulture), m));
            }
            slices[s] = Sequential(children);
            channels[s] = inChannels;
            start = ends[s];
        }
        (slice1, slice2, slice3, slice4, slice5) = (slices[0], slices[1], slices[2], slices[3], slices[4]);
        Channels = channels;
        foreach (var p in parameters()) p.requires_grad = false;
        RegisterComponents();
    }

    public LpipsNet Net { get; }

    /// <summary>Channels of the five taps.</summary>
    public IReadOnlyList<long> Channels { get; }

    /// <summary>The torchvision <c>features</c> index → this module's key prefix (e.g. 3 → <c>slice2.3</c>).</summary>
    public string KeyOf(int featureIndex)
    {
        var ends = Net == LpipsNet.Alex ? AlexSliceEnds : VggSliceEnds;
        for (int s = 0; s < ends.Length; s++)
            if (featureIndex < ends[s]) return $"slice{s + 1}.{featureIndex}";
        throw new ArgumentException($"torchvision features[{featureIndex}] is past the last LPIPS tap of {Net.FileName()}");
    }

    /// <summary>x [B,3,H,W] (after the scaling layer) → the five tapped ReLU outputs.</summary>
    public override Tensor[] forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h1 = slice1.call(x);
        var h2 = slice2.call(h1);
        var h3 = slice3.call(h2);
        var h4 = slice4.call(h3);
        var h5 = slice5.call(h4);
        return new[] { h1, h2, h3, h4, h5 }.Select(t => t.MoveToOuterDisposeScope()).ToArray();
    }

    static Layer[] BuildVgg16()
    {
        int[] plan = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512];
        var layers = new List<Layer>();
        foreach (var w in plan)
        {
            if (w == 0) layers.Add(new MaxPool(2, 2));
            else { layers.Add(new Conv(w, 3, 1, 1)); layers.Add(new Relu()); }
        }
        return layers.ToArray();
    }
}
