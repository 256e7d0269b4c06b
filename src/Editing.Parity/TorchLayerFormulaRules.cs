using Pipeline.Editing.Networks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Editing.Parity;

/// <summary>
/// Formula rules (parity/README.md §1) for networks built from plain torch.nn layers: a tensor's rule follows from the
/// type of the module that owns it, so ResNet, VGG or any other conv/BN/linear stack needs no name patterns.
/// </summary>
public static class TorchLayerFormulaRules
{
    const double BiasAmplitude = 0.1;
    const double BatchNormAmplitude = 0.1;
    const double BatchNormScaleOffset = 1.0;

    /// <param name="model">the network whose <c>ModuleState.OfficialOrder</c> names are resolved.</param>
    /// <param name="plainWeightGain">g of <c>plain_weight</c> (A = g/√fan_in): 1, except 2 for the VGG fixture.</param>
    /// <param name="special">rules for tensors that are not plain layer state (e.g. kept constants), tried first.</param>
    public static Func<string, long[], FormulaRule> For(nn.Module model, double plainWeightGain = 1.0, Func<string, FormulaRule?>? special = null)
    {
        var owners = new Dictionary<string, nn.Module>(StringComparer.Ordinal);
        void Own(string prefix, nn.Module m)
        {
            foreach (var (n, _) in m.named_parameters(recurse: false)) owners[prefix + n] = m;
            foreach (var (n, _) in m.named_buffers(recurse: false, include_nonpersistent: false)) owners[prefix + n] = m;
        }
        Own("", model);
        foreach (var (name, m) in model.named_modules())
            if (name.Length > 0) Own(name + ".", m);

        return (name, shape) =>
        {
            if (special?.Invoke(name) is FormulaRule s) return s;
            if (!owners.TryGetValue(name, out var owner))
                throw new ArgumentException($"no formula rule for '{name}': the model has no such tensor");
            var leaf = name[(name.LastIndexOf('.') + 1)..];
            return (owner, leaf) switch
            {
                (BatchNorm2d, "weight") => new FormulaRule("bn_weight", BatchNormScaleOffset, BatchNormAmplitude),
                (BatchNorm2d, "bias") => new FormulaRule("bn_bias", 0, BatchNormAmplitude),
                (BatchNorm2d, "running_mean") => new FormulaRule("bn_mean", 0, BatchNormAmplitude),
                (BatchNorm2d, "running_var") => new FormulaRule("bn_var", BatchNormScaleOffset, BatchNormAmplitude, Absolute: true),
                (BatchNorm2d, "num_batches_tracked") => FormulaRule.KeepAs("int"),
                (Conv2d or TailSafeConv2d or Linear, "weight") => new FormulaRule("plain_weight", 0, plainWeightGain / Math.Sqrt(FanIn(shape))),
                (Conv2d or TailSafeConv2d or Linear, "bias") => new FormulaRule("plain_bias", 0, BiasAmplitude),
                _ => throw new ArgumentException($"no formula rule for '{name}' of a {owner.GetType().Name}"),
            };
        };
    }

    /// <summary>fan_in = numel / shape[0], as the fixture generator computes it.</summary>
    static long FanIn(long[] shape) => shape.Skip(1).Aggregate(1L, (a, b) => a * b);
}
