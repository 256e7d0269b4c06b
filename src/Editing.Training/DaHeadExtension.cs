using Pipeline.Editing.Networks.DiffCam;
using static TorchSharp.torch;

namespace Pipeline.Editing.Training;

/// <summary>
/// <c>train da --add-direction NAME</c>: the DA module gains one class for a direction it was not trained on. The
/// network is copied into one with one more output of <c>fc</c>; the old rows are kept and the new row starts from the
/// seeded default initialisation of a linear layer. Only <c>fc</c> then learns (the Siamese trunk and layer4 stay
/// frozen, BatchNorm on its running statistics), so the masks of the trained directions keep their features and the
/// run takes minutes.
/// </summary>
public static class DaHeadExtension
{
    public const string HeadPrefix = "fc.";

    /// <summary>A copy of <paramref name="source"/> with one more class, which is returned as its index.</summary>
    public static (DiffCam Network, int NewClass) Grow(DiffCam source, long seed)
    {
        var config = source.Config with { NumClass = source.Config.NumClass + 1 };
        manual_seed(seed);
        var grown = new DiffCam(config);
        using var _ = no_grad();
        var target = grown.state_dict();
        foreach (var (name, value) in source.state_dict())
        {
            if (name.StartsWith(HeadPrefix, StringComparison.Ordinal))
                target[name].narrow(0, 0, value.shape[0]).copy_(value);   // old classes' rows; the last row stays fresh
            else
                target[name].copy_(value);
        }
        return (grown, source.Config.NumClass);
    }

    /// <summary>Everything but <c>fc</c> stops learning; the parameters that still learn are returned.</summary>
    public static List<TorchSharp.Modules.Parameter> FreezeTrunk(DiffCam network)
    {
        var head = new List<TorchSharp.Modules.Parameter>();
        foreach (var (name, p) in network.named_parameters())
        {
            bool learns = name.StartsWith(HeadPrefix, StringComparison.Ordinal);
            p.requires_grad = learns;
            if (learns) head.Add(p);
        }
        return head;
    }
}
