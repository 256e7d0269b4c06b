using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Networks.StyleGan2;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.Deghosting;

/// <summary>
/// The names and order of <c>deghosting.pt</c> (<c>Deghosting.state_dict()</c>): <c>FCN.*</c> unchanged, then the
/// frozen generator under <c>generator.*</c> in the mmgen layout (noise buffers first, <c>*_orig</c> weights).
/// </summary>
public sealed class DeghostingKeyLayout : IKeyLayout
{
    public const string FcnPrefix = "FCN.";
    public const string GeneratorPrefix = MmgenGeneratorLayout.DeghostingPrefix;

    readonly MmgenGeneratorLayout _generator = new(GeneratorPrefix);

    public List<(string Name, Tensor Tensor)> ToOfficial(List<(string Name, Tensor Tensor)> ownOrder)
    {
        var stray = ownOrder.Select(e => e.Name)
            .Where(n => !n.StartsWith(FcnPrefix, StringComparison.Ordinal) && !n.StartsWith(GeneratorPrefix, StringComparison.Ordinal))
            .ToList();
        if (stray.Count > 0)
            throw new ArgumentException($"Deghosting state has keys outside {FcnPrefix}* and {GeneratorPrefix}*: {string.Join(", ", stray)}");
        return _generator.ToOfficial(ownOrder);
    }
}
