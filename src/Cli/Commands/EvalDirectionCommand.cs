using System.CommandLine;
using System.Text.Json;
using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Method;
using Pipeline.World.Evaluation;
using Pipeline.World.Training;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline eval direction --models DIR --direction NAME --attribute WORLD_ATTRIBUTE</c>: a direction fitted from
/// labels of an attribute the demo pack was not built with, against the synthetic world's truth
/// (<see cref="FittedDirectionCheck"/>); needs the pack's <c>factor_map.pt</c>.
/// </summary>
public static class EvalDirectionCommand
{
    public static Command Create()
    {
        var models = new Option<string>("--models") { Description = "the demo pack (with factor_map.pt) holding the fitted direction", Required = true };
        var direction = new Option<string>("--direction") { Description = "the fitted direction's name in the pack", Required = true };
        var attribute = new Option<string>("--attribute") { Description = $"the world attribute it was fitted for ({string.Join(", ", WithheldAttributes.All.Select(a => a.Attribute.Name))})", Required = true };
        var count = new Option<int>("--count") { Description = "held-out train-split scenes", DefaultValueFactory = _ => 256 };
        var seed = new Option<int>("--seed") { Description = "world seed of the held-out scenes", DefaultValueFactory = _ => new PriorRecipe().HeldOutSeed };
        var json = new Option<string?>("--json") { Description = "write the result here" };
        var cmd = new Command("direction", "check a direction fitted for a withheld world attribute: cosine with the factor map, flip rates by the world's renders")
        {
            models, direction, attribute, count, seed, json,
        };
        cmd.SetAction(p => InputGuard.Run("eval direction", () =>
        {
            var withheld = WithheldAttributes.Find(p.GetValue(attribute)!);
            var dir = p.GetValue(models)!;
            using var pack = EditModels.Load(dir);
            using var map = LoadFactorMap(dir, pack);
            var result = FittedDirectionCheck.Run(pack, map, pack.Direction(p.GetValue(direction)!), withheld, p.GetValue(seed), p.GetValue(count));
            var text = JsonSerializer.Serialize(result, ModelPackManifest.Json);
            Console.Out.WriteLine(text);
            if (p.GetValue(json) is { } path) File.WriteAllText(path, text + "\n");
            return ExitCodes.Ok;
        }));
        return cmd;
    }

    static FactorMap LoadFactorMap(string dir, EditModels pack)
    {
        var path = Path.Combine(dir, PriorNetworks.FactorMapFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{dir} has no {PriorNetworks.FactorMapFile}: only the demo pack's world knows the exact steps", path);
        var map = PriorNetworks.NewFactorMap(pack.Psp.Config, 0);
        using (var ckpt = CheckpointReader.Read(path))
            ModuleState.LoadStrict(map, ckpt.StateDict, path);
        map.eval();
        return map;
    }
}
