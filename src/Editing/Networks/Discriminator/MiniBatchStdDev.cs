using Pipeline.Editing.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.Discriminator;

/// <summary>
/// mmgen <c>ModMBStddevLayer</c>: with <c>G = min(N, group_size)</c>, sample n = g·(N/G) + m is in group m; the biased
/// standard deviation over g (<c>√(var + eps)</c>), averaged over each channel group and all pixels, is appended as
/// <c>channel_groups</c> extra channels: [N,C,H,W] → [N,C+channel_groups,H,W].
/// </summary>
public sealed class MiniBatchStdDev : nn.Module<Tensor, Tensor>
{
    public const int DefaultGroupSize = 4;
    public const int DefaultChannelGroups = 1;
    public const double DefaultEpsilon = 1e-8;

    readonly int _groupSize;
    readonly int _channelGroups;
    readonly Scalar _eps;

    public MiniBatchStdDev(int groupSize = DefaultGroupSize, int channelGroups = DefaultChannelGroups, double eps = DefaultEpsilon)
        : base("ModMBStddevLayer")
    {
        if (groupSize <= 0 || channelGroups <= 0) throw new ArgumentException($"mbstd group size {groupSize} and channel groups {channelGroups} must be positive");
        _groupSize = groupSize;
        _channelGroups = channelGroups;
        _eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        long n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        long g = Math.Min(n, _groupSize);
        if (n % g != 0) throw new ArgumentException($"minibatch stddev: batch {n} is not a multiple of the group size {g}", nameof(x));
        if (c % _channelGroups != 0) throw new ArgumentException($"minibatch stddev: {c} channels do not split into {_channelGroups} groups", nameof(x));
        using var scope = NewDisposeScope();
        var y = x.reshape(g, -1, _channelGroups, c / _channelGroups, h, w);                // [G,N/G,cg,C/cg,H,W]
        y = y.var(0, unbiased: false);                                                       // [N/G,cg,C/cg,H,W]
        y = y.Plus(_eps).sqrt();
        y = y.mean(new long[] { 2, 3, 4 }, keepdim: true).squeeze(2);                       // [N/G,cg,1,1]
        y = y.repeat(g, 1, h, w);                                                            // [N,cg,H,W]
        return cat(new[] { x, y }, 1).MoveToOuterDisposeScope();
    }
}
