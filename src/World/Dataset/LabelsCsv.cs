using System.Globalization;
using System.Text;
using Pipeline.World.Scenes;

namespace Pipeline.World.Dataset;

/// <summary>labels.csv: one row per scene, the file, the attribute labels (0/1, registry order) and the other factors.</summary>
public static class LabelsCsv
{
    static readonly string[] Factors =
    {
        "skin", "hair_style", "hair_color", "iris", "face_width", "jaw", "chin", "glasses_frame", "glasses_color",
        "beard_style", "beard_color", "background", "background_top", "background_bottom", "clothing", "occluders",
    };

    public static string Header => string.Join(",", new[] { "file" }.Concat(WorldAttributes.Names).Concat(Factors));

    public static string Row(SceneSpec s)
    {
        var ci = CultureInfo.InvariantCulture;
        var cells = new List<string> { DatasetLayout.ImageFile(s.Index) };
        cells.AddRange(WorldAttributes.All.Select(a => a.Get(s) ? "1" : "0"));
        cells.AddRange(new[]
        {
            s.Skin.Hex, Snake(s.Hair.Style), s.Hair.Color.Hex, s.Eyes.Iris.Hex,
            s.Face.Width.ToString("0.###", ci), s.Face.Jaw.ToString("0.###", ci), s.Face.Chin.ToString("0.###", ci),
            Snake(s.Glasses.Frame), s.Glasses.Color.Hex, Snake(s.Beard.Style), s.Beard.Color.Hex,
            Snake(s.Background.Pattern), s.Background.Top.Hex, s.Background.Bottom.Hex, s.Clothing.Hex,
            s.Occluders.ToString(),
        });
        return string.Join(",", cells);
    }

    public static void Write(string path, IEnumerable<SceneSpec> scenes)
    {
        var sb = new StringBuilder().Append(Header).Append('\n');
        foreach (var s in scenes) sb.Append(Row(s)).Append('\n');
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, sb.ToString());
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>PascalCase enum name as snake_case ("SidePart" → "side_part").</summary>
    static string Snake<T>(T value) where T : struct, Enum
    {
        var name = value.ToString();
        var sb = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }
}
