using System.Text.RegularExpressions;
using Pipeline.Editing.Checkpoints;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.StyleGan2;

/// <summary>
/// The mmgen <c>StyleGANv2Generator</c> names and order (the frozen generator inside Deghosting) for a
/// <see cref="StyleGan2Generator"/>, whose own names are rosinality's. Equalized-lr weights become <c>*_orig</c>,
/// <c>modulation</c> becomes <c>style_modulation</c> (bias first, then <c>linear.weight_orig</c>, then
/// <c>blur.kernel</c>), <c>noise</c> becomes <c>noise_injector</c>, <c>input</c> becomes <c>constant_input</c>, and the
/// noise buffers <c>injected_noise_j</c> come first. Build the module with <see cref="StyleGan2Config.Mmgen"/>
/// (<see cref="EqualizedLrMode.MmgenFloat32"/>) so its numerics match mmgen too.
/// <para>
/// Entries under <c>prefix</c> are the generator's and are re-ordered as a block at the position of the first one;
/// other entries pass through unchanged, so a parent module (Deghosting: <c>FCN.*</c> then <c>generator.*</c>) can use
/// this layout for its whole state. <c>officialPrefix</c> renames the prefix (e.g. own <c>""</c> →
/// <c>generator_ema.</c> for an mmgen training checkpoint).
/// </para>
/// </summary>
public sealed class MmgenGeneratorLayout(string prefix = "", string? officialPrefix = null) : IKeyLayout
{
    /// <summary>The generator inside <c>Deghosting.state_dict()</c> (deghosting.pt).</summary>
    public const string DeghostingPrefix = "generator.";

    /// <summary>The EMA generator of an mmgen StyleGAN2 checkpoint (e.g. the FFHQ config-f weights used for training).</summary>
    public const string CheckpointEmaPrefix = "generator_ema.";

    static readonly (Regex Own, string Official)[] ToMmgenRules =
    [
        (new(@"^noises\.noise_(\d+)$"), "injected_noise_$1"),
        (new(@"^style\.(\d+)\.weight$"), "style_mapping.$1.linear.weight_orig"),
        (new(@"^style\.(\d+)\.bias$"), "style_mapping.$1.bias"),
        (new(@"^input\.input$"), "constant_input.input"),
        (new(@"^(.+)\.conv\.weight$"), "$1.conv.weight_orig"),
        (new(@"^(.+)\.conv\.modulation\.weight$"), "$1.conv.style_modulation.linear.weight_orig"),
        (new(@"^(.+)\.conv\.modulation\.bias$"), "$1.conv.style_modulation.bias"),
        (new(@"^(.+)\.noise\.weight$"), "$1.noise_injector.weight"),
    ];

    static readonly (Regex Official, string Own)[] ToRosinalityRules =
    [
        (new(@"^injected_noise_(\d+)$"), "noises.noise_$1"),
        (new(@"^style_mapping\.(\d+)\.linear\.weight_orig$"), "style.$1.weight"),
        (new(@"^style_mapping\.(\d+)\.bias$"), "style.$1.bias"),
        (new(@"^constant_input\.input$"), "input.input"),
        (new(@"^(.+)\.conv\.weight_orig$"), "$1.conv.weight"),
        (new(@"^(.+)\.conv\.style_modulation\.linear\.weight_orig$"), "$1.conv.modulation.weight"),
        (new(@"^(.+)\.conv\.style_modulation\.bias$"), "$1.conv.modulation.bias"),
        (new(@"^(.+)\.noise_injector\.weight$"), "$1.noise.weight"),
    ];

    /// <summary>Position of an entry inside its mmgen module, for the modules whose order differs from rosinality's.</summary>
    static readonly (Regex Member, int Rank)[] MemberRanks =
    [
        (new(@"^(style_mapping\.\d+)\.bias$"), 0),
        (new(@"^(style_mapping\.\d+)\.linear\.weight_orig$"), 1),
        (new(@"^(.+\.conv)\.weight_orig$"), 0),
        (new(@"^(.+\.conv)\.style_modulation\.bias$"), 1),
        (new(@"^(.+\.conv)\.style_modulation\.linear\.weight_orig$"), 2),
        (new(@"^(.+\.conv)\.blur\.kernel$"), 3),
    ];

    readonly string _official = officialPrefix ?? prefix;

    /// <summary>A rosinality key (no prefix) as mmgen names it.</summary>
    public static string ToMmgen(string rosinalityName) => Rename(rosinalityName, ToMmgenRules);

    /// <summary>An mmgen key (no prefix) as rosinality names it.</summary>
    public static string ToRosinality(string mmgenName) => Rename(mmgenName, ToRosinalityRules);

    public List<(string Name, Tensor Tensor)> ToOfficial(List<(string Name, Tensor Tensor)> ownOrder)
    {
        var result = new List<(string, Tensor)>(ownOrder.Count);
        var block = new List<(string Name, Tensor Tensor)>();
        int blockAt = -1;
        foreach (var (name, t) in ownOrder)
        {
            if (!name.StartsWith(prefix, StringComparison.Ordinal)) { result.Add((name, t)); continue; }
            if (blockAt < 0) blockAt = result.Count;
            block.Add((ToMmgen(name[prefix.Length..]), t));
        }
        if (blockAt >= 0) result.InsertRange(blockAt, Reorder(block).Select(e => (_official + e.Name, e.Tensor)));
        return result;
    }

    /// <summary>Noise buffers first (they belong to the top module in mmgen), then the rest with each module's members in mmgen order.</summary>
    static IEnumerable<(string Name, Tensor Tensor)> Reorder(List<(string Name, Tensor Tensor)> entries)
    {
        var noise = entries.Where(e => e.Name.StartsWith("injected_noise_", StringComparison.Ordinal)).ToList();
        var rest = entries.Where(e => !e.Name.StartsWith("injected_noise_", StringComparison.Ordinal)).ToList();
        var ordered = new List<(string, Tensor)>(noise);
        int i = 0;
        while (i < rest.Count)
        {
            var owner = Owner(rest[i].Name).Owner;
            int j = i + 1;
            while (owner is not null && j < rest.Count && Owner(rest[j].Name).Owner == owner) j++;
            ordered.AddRange(rest.Skip(i).Take(j - i).OrderBy(e => Owner(e.Name).Rank));   // OrderBy is stable
            i = j;
        }
        return ordered;
    }

    static (string? Owner, int Rank) Owner(string name)
    {
        foreach (var (member, rank) in MemberRanks)
        {
            var m = member.Match(name);
            if (m.Success) return (m.Groups[1].Value, rank);
        }
        return (null, 0);
    }

    static string Rename(string name, (Regex From, string To)[] rules)
    {
        foreach (var (from, to) in rules)
            if (from.IsMatch(name)) return from.Replace(name, to);
        return name;
    }
}
