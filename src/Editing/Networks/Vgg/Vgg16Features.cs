using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Editing.Networks.Vgg;

/// <summary>
/// torchvision <c>vgg16().features</c> cut after the deepest requested layer, behind an optional ImageNet
/// normalisation (mmedit/basicsr <c>VGGFeatureExtractor</c>): buffers <c>mean</c>, <c>std</c> [1,3,1,1], child
/// <c>vgg_layers</c> with torchvision's indices (convs at 0,2,5,7,10,12,14,17,19,21,…, ReLU after each conv,
/// MaxPool 2×2 at 4,9,16,23,30). The weights are frozen: the network only measures.
/// </summary>
public sealed class Vgg16Features : Module<Tensor, Dictionary<int, Tensor>>
{
    /// <summary>VGG16 configuration "D": conv widths, 0 = 2×2 max pool.</summary>
    static readonly int[] Plan = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0];
    static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];
    static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];
    const int ImageChannels = 3;

    private readonly Tensor? mean;
    private readonly Tensor? std;
    private readonly Sequential vgg_layers;

    readonly int[] _layers;

    /// <param name="layers">torchvision <c>features</c> indices whose outputs are returned (e.g. 21 = conv4_3 before its ReLU).</param>
    /// <param name="useInputNorm">normalise the [0,1] input with the ImageNet mean and std first.</param>
    public Vgg16Features(IEnumerable<int> layers, bool useInputNorm = true) : base(nameof(Vgg16Features))
    {
        _layers = layers.Distinct().Order().ToArray();
        int count = LayerCount;
        if (_layers.Length == 0 || _layers[0] < 0 || _layers[^1] >= count)
            throw new ArgumentException($"VGG16 feature layers must lie in 0..{count - 1}, got [{string.Join(",", _layers)}]", nameof(layers));
        if (useInputNorm)
        {
            mean = tensor(ImageNetMean).reshape(1, ImageChannels, 1, 1);
            std = tensor(ImageNetStd).reshape(1, ImageChannels, 1, 1);
        }
        vgg_layers = Sequential(Build(_layers[^1] + 1));
        foreach (var p in vgg_layers.parameters()) p.requires_grad = false;
        RegisterComponents();
    }

    /// <summary>Number of modules in torchvision's full VGG16 <c>features</c> (31).</summary>
    public static int LayerCount => Plan.Sum(c => c == 0 ? 1 : 2);

    public IReadOnlyList<int> Layers => _layers;

    /// <summary>x [B,3,H,W] in [0,1] → the requested layers' outputs by torchvision index.</summary>
    public override Dictionary<int, Tensor> forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = mean is null || std is null ? x : (x - mean) / std;
        var outputs = new Dictionary<int, Tensor>();
        for (int i = 0; i <= _layers[^1]; i++)
        {
            h = vgg_layers[i].call(h);
            if (Array.BinarySearch(_layers, i) >= 0) outputs[i] = h;
        }
        foreach (var t in outputs.Values) t.MoveToOuterDisposeScope();
        return outputs;
    }

    static Module<Tensor, Tensor>[] Build(int count)
    {
        var modules = new List<Module<Tensor, Tensor>>();
        long inChannels = ImageChannels;
        foreach (var width in Plan)
        {
            if (width == 0) modules.Add(MaxPool2d(2, stride: 2));
            else
            {
                modules.Add(Conv2d(inChannels, width, 3, padding: 1));
                modules.Add(ReLU());
                inChannels = width;
            }
        }
        return modules.Take(count).ToArray();
    }
}
