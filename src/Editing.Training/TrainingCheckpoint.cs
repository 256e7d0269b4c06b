using System.Text.Json;
using Pipeline.Editing.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;
using OptimizerHelper = TorchSharp.Modules.OptimizerHelper;

namespace Pipeline.Editing.Training;

/// <summary>
/// A resumable training checkpoint: each network's state (safetensors, our own key order), each optimizer's state, and
/// <c>state.json</c> with the step. Written to a temporary folder and renamed, so a crash never leaves half a checkpoint.
/// A module given a key layout is stored under its official names (e.g. Deghosting's mmgen generator keys), so the
/// tensors of a checkpoint read the same as the official file.
/// </summary>
public static class TrainingCheckpoint
{
    public const string LatestDir = "checkpoint";
    const string StateFile = "state.json";

    public sealed record State(long Step, string Command, Dictionary<string, string> Extra);

    public static void Save(string outDir, long step, string command, IReadOnlyDictionary<string, nn.Module> modules,
        IReadOnlyDictionary<string, OptimizerHelper> optimizers, Dictionary<string, string>? extra = null,
        IReadOnlyDictionary<string, IKeyLayout>? layouts = null)
    {
        var final = Path.Combine(outDir, LatestDir);
        var tmp = final + ".tmp";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
        Directory.CreateDirectory(tmp);
        foreach (var (name, m) in modules) SafeTensorsFile.Write(Path.Combine(tmp, name + ".safetensors"), ModuleState.ToStateDict(m, LayoutOf(layouts, name)));
        foreach (var (name, o) in optimizers) o.save_state_dict(Path.Combine(tmp, name + ".optim"));
        File.WriteAllText(Path.Combine(tmp, StateFile), JsonSerializer.Serialize(new State(step, command, extra ?? new())));
        var old = final + ".old";
        if (Directory.Exists(old)) Directory.Delete(old, true);
        if (Directory.Exists(final)) Directory.Move(final, old);
        Directory.Move(tmp, final);
        if (Directory.Exists(old)) Directory.Delete(old, true);
    }

    /// <summary>Loads the latest checkpoint into the given modules and optimizers; returns null when there is none.</summary>
    public static State? TryLoad(string outDir, IReadOnlyDictionary<string, nn.Module> modules, IReadOnlyDictionary<string, OptimizerHelper> optimizers,
        IReadOnlyDictionary<string, IKeyLayout>? layouts = null)
    {
        var dir = Path.Combine(outDir, LatestDir);
        var statePath = Path.Combine(dir, StateFile);
        if (!File.Exists(statePath)) return null;
        var state = JsonSerializer.Deserialize<State>(File.ReadAllText(statePath)) ?? throw new InvalidDataException($"{statePath}: empty");
        foreach (var (name, m) in modules)
        {
            using var sd = SafeTensorsFile.Read(Path.Combine(dir, name + ".safetensors"));
            ModuleState.LoadStrict(m, sd, Path.Combine(dir, name + ".safetensors"), LayoutOf(layouts, name));
        }
        foreach (var (name, o) in optimizers) o.load_state_dict(Path.Combine(dir, name + ".optim"));
        return state;
    }

    static IKeyLayout? LayoutOf(IReadOnlyDictionary<string, IKeyLayout>? layouts, string name) =>
        layouts is not null && layouts.TryGetValue(name, out var l) ? l : null;
}
