using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Editing.Method;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline directions mask --models DIR --mask own|agnostic|nearest|NAME [--names …] [--agnostic-gain G]</c>: which
/// mask a pack's directions get (docs/directions.md): their own Diff-CAM class, the class-agnostic activation
/// difference, the nearest trained direction's class, or a named direction's class. It rewrites <c>manifest.json</c>,
/// checks that the pack still resolves every mask (the old manifest is put back when it does not), and records the
/// command under <c>training.masks</c>.
/// </summary>
public static class DirectionsMaskCommand
{
    /// <summary>The <c>--mask</c> value that removes a direction's <c>mask</c> entry: Diff-CAM of its own class.</summary>
    public const string Own = "own";

    public static Command Create()
    {
        var models = new Option<string>("--models") { Description = "model pack folder (its manifest.json is rewritten)", Required = true };
        var mask = new Option<string>("--mask") { Description = $"{Own} (Diff-CAM of the direction's class) | {DirectionMask.Agnostic} | {DirectionMask.Nearest} | a trained direction's name", Required = true };
        var names = new Option<string[]>("--names") { Description = "directions to set (default: all of the pack's)", AllowMultipleArgumentsPerToken = true };
        var gain = new Option<double?>("--agnostic-gain") { Description = "scale of the class-agnostic mask before it is clipped at 1 (≥ 1; diff_cam.agnostic_mask_gain)" };
        var cmd = new Command("mask", "choose the mask of a pack's directions: own Diff-CAM class, class-agnostic, nearest, or a named class") { models, mask, names, gain };
        cmd.SetAction(p => InputGuard.Run("directions mask", () =>
            Run(p.GetValue(models)!, p.GetValue(mask)!, p.GetValue(names), p.GetValue(gain), Console.Out)));
        return cmd;
    }

    public static int Run(string packDir, string mask, IReadOnlyList<string>? names, double? agnosticGain, TextWriter output)
    {
        var path = Path.Combine(packDir, ModelPackManifest.FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"no {ModelPackManifest.FileName} in '{packDir}'", path);
        if (agnosticGain is { } g && (!double.IsFinite(g) || g < 1))
            throw new ArgumentException($"--agnostic-gain must be a finite number ≥ 1, got {g}");
        var original = File.ReadAllText(path);
        var manifest = ModelPackManifest.Read(path);
        var chosen = names is { Count: > 0 } ? names : manifest.Directions.Select(d => d.Name).ToList();
        var unknown = chosen.Except(manifest.Directions.Select(d => d.Name)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"the pack has no direction {string.Join(", ", unknown.Select(n => $"'{n}'"))} (it has {string.Join(", ", manifest.Directions.Select(d => d.Name))})");
        string? entry = mask == Own ? null : mask;
        var updated = manifest with
        {
            Directions = manifest.Directions.Select(d => chosen.Contains(d.Name) ? d with { Mask = entry } : d).ToList(),
            DiffCam = agnosticGain is { } gain ? manifest.DiffCam with { AgnosticMaskGain = gain } : manifest.DiffCam,
            Training = WithRecord(manifest.Training, mask, chosen, agnosticGain),
        };
        updated.Write(path);
        try
        {
            var masks = DirectionMasks.OfPack(packDir);
            foreach (var name in chosen)
                output.WriteLine($"{name}: {masks[name].Description}");
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            File.WriteAllText(path, original);
            throw new InvalidDataException($"{e.Message} (manifest left as it was)", e);
        }
        output.WriteLine($"{chosen.Count} direction(s) set in {Path.GetFullPath(path)}"
                         + (agnosticGain is { } set ? $"; class-agnostic mask gain {set}" : ""));
        return ExitCodes.Ok;
    }

    static JsonElement WithRecord(JsonElement? training, string mask, IReadOnlyList<string> names, double? gain)
    {
        var root = training is { } t ? JsonNode.Parse(t.GetRawText()) as JsonObject ?? new JsonObject() : new JsonObject();
        var record = new JsonObject
        {
            ["command"] = "directions mask",
            ["mask"] = mask,
            ["names"] = new JsonArray(names.Select(n => (JsonNode)JsonValue.Create(n)!).ToArray()),
        };
        if (gain is { } g) record["agnostic_mask_gain"] = g;
        root["masks"] = record;
        return JsonDocument.Parse(root.ToJsonString()).RootElement.Clone();
    }
}
