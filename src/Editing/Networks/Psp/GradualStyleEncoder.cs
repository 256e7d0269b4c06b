using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Pipeline.Editing.Runtime;

namespace Pipeline.Editing.Networks.Psp;

/// <summary>
/// pSp's <c>GradualStyleEncoder</c> (IR-SE body + feature pyramid + one style head per W+ row).
/// The body is tapped at the end of its 2nd, 3rd and 4th stage (c1, c2, c3; units 6, 20, 23 for IR-SE50);
/// coarse rows read c3, middle rows <c>p2 = up(c3) + latlayer1(c2)</c>, fine rows <c>p1 = up(p2) + latlayer2(c1)</c>.
/// e4e's <c>Encoder4Editing</c> has the same modules and keys; with <see cref="PspConfig.EncoderType"/> set to it, the
/// heads' outputs become <see cref="Encoder4Editing.Codes"/> (w0 repeated plus per-row deltas) instead of one row each.
/// </summary>
public sealed class GradualStyleEncoder : nn.Module<Tensor, Tensor>
{
    /// <summary>Channels of the official input layer (the width of the first IR-SE stage).</summary>
    public const int StemChannels = 64;

    /// <summary>The body stages whose last unit is tapped: c1 (fine), c2 (middle), c3 (coarse).</summary>
    const int C1Stage = 1, C2Stage = 2, C3Stage = 3;

    private readonly Sequential input_layer;
    private readonly Sequential body;
    private readonly ModuleList<GradualStyleBlock> styles;
    private readonly TailSafeConv2d latlayer1;
    private readonly TailSafeConv2d latlayer2;

    readonly BottleneckIrSe[] _units;
    readonly int _c1Unit, _c2Unit, _c3Unit;
    readonly PspConfig _config;

    public GradualStyleEncoder(PspConfig config) : base(nameof(GradualStyleEncoder))
    {
        config.Validate();
        _config = config;
        var stages = config.EncoderStages;
        int stem = stages[0].InChannels;
        if (stages.Count != C3Stage + 1) throw new ArgumentException($"the feature pyramid needs {C3Stage + 1} IR-SE stages, depth {config.EncoderDepth} has {stages.Count}");

        input_layer = nn.Sequential(
            new TailSafeConv2d(config.InputChannels, stem, 3, stride: 1, padding: 1, bias: false),
            nn.BatchNorm2d(stem),
            new PReLU(stem));

        var units = new List<BottleneckIrSe>();
        var stageEnds = new List<int>();
        foreach (var stage in stages)
        {
            for (int u = 0; u < stage.NumUnits; u++)
                units.Add(u == 0
                    ? new BottleneckIrSe(stage.InChannels, stage.Depth, IrSeBlocks.StageStride)
                    : new BottleneckIrSe(stage.Depth, stage.Depth, 1));
            stageEnds.Add(units.Count - 1);
        }
        _units = units.ToArray();
        (_c1Unit, _c2Unit, _c3Unit) = (stageEnds[C1Stage], stageEnds[C2Stage], stageEnds[C3Stage]);
        body = nn.Sequential(units.Cast<nn.Module<Tensor, Tensor>>());

        long c1Channels = stages[C1Stage].Depth, c2Channels = stages[C2Stage].Depth, c3Channels = stages[C3Stage].Depth;
        // Every stage halves the map once (its first unit has stride 2), so stage s ends at InputSize / 2^(s+1).
        long c1Size = config.InputSize >> (C1Stage + 1), c2Size = config.InputSize >> (C2Stage + 1), c3Size = config.InputSize >> (C3Stage + 1);
        var heads = new GradualStyleBlock[config.NStyles];
        for (int i = 0; i < heads.Length; i++)
        {
            long spatial = i < config.CoarseStyles ? c3Size : i < config.MiddleStylesEnd ? c2Size : c1Size;
            heads[i] = new GradualStyleBlock(c3Channels, config.StyleDim, spatial);
        }
        styles = nn.ModuleList(heads);
        latlayer1 = new TailSafeConv2d(c2Channels, c3Channels, 1);
        latlayer2 = new TailSafeConv2d(c1Channels, c3Channels, 1);
        RegisterComponents();
    }

    public PspConfig Config => _config;

    /// <summary>The W+ codes <c>[B,n_styles,style_dim]</c> (offsets from <c>latent_avg</c> in the official setup).</summary>
    public override Tensor forward(Tensor x)
    {
        using var features = Encode(x);
        return features.Codes.alias();
    }

    /// <summary>The full pass, keeping the intermediate maps (for parity checks and inspection).</summary>
    public GradualStyleFeatures Encode(Tensor x)
    {
        // The style heads reduce exactly the configured map sizes to 1×1; another size would silently mix rows.
        if (x.dim() != 4 || x.size(1) != _config.InputChannels || x.size(2) != _config.InputSize || x.size(3) != _config.InputSize)
            throw new ArgumentException($"pSp encoder input must be [B,{_config.InputChannels},{_config.InputSize},{_config.InputSize}], got [{string.Join(",", x.shape)}]", nameof(x));
        using var scope = NewDisposeScope();
        var stem = input_layer.call(x);                       // [B,64,H,W]
        Tensor h = stem, c1 = stem, c2 = stem, c3 = stem;
        for (int i = 0; i < _units.Length; i++)
        {
            h = _units[i].call(h);
            if (i == _c1Unit) c1 = h;                           // [B,128,H/4,W/4]
            else if (i == _c2Unit) c2 = h;                      // [B,256,H/8,W/8]
            else if (i == _c3Unit) c3 = h;                      // [B,512,H/16,W/16]
        }

        var rows = new Tensor[styles.Count];
        for (int i = 0; i < _config.CoarseStyles; i++) rows[i] = styles[i].call(c3);
        var p2 = UpsampleAdd(c3, latlayer1.call(c2));          // [B,512,H/8,W/8]
        for (int i = _config.CoarseStyles; i < _config.MiddleStylesEnd; i++) rows[i] = styles[i].call(p2);
        var p1 = UpsampleAdd(p2, latlayer2.call(c1));          // [B,512,H/4,W/4]
        for (int i = _config.MiddleStylesEnd; i < rows.Length; i++) rows[i] = styles[i].call(p1);
        var codes = _config.EncoderType == EncoderType.Encoder4Editing
            ? Encoder4Editing.Codes(rows)                       // [B,n_styles,512]: w0 + Δ_i
            : stack(rows, dim: 1);                              // [B,n_styles,512]: one head per row

        return new GradualStyleFeatures(stem.MoveToOuterDisposeScope(), c1.MoveToOuterDisposeScope(), c2.MoveToOuterDisposeScope(), c3.MoveToOuterDisposeScope(),
            p2.MoveToOuterDisposeScope(), p1.MoveToOuterDisposeScope(), codes.MoveToOuterDisposeScope());
    }

    /// <summary>pSp's <c>_upsample_add</c>: bilinear (align_corners=True) resize of x to y's size, plus y.</summary>
    static Tensor UpsampleAdd(Tensor x, Tensor y)
    {
        var up = nn.functional.interpolate(x, size: [y.size(2), y.size(3)], mode: InterpolationMode.Bilinear, align_corners: true);
        return up.add_(y, alpha: Scalars.One);
    }
}
