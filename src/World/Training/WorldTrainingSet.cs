using Pipeline.Editing.Imaging;
using Pipeline.Editing.Training;
using Pipeline.World.Dataset;
using static TorchSharp.torch;

namespace Pipeline.World.Training;

/// <summary>
/// Loads a world written by <c>pipeline synth</c> (images/ + labels.csv) into memory for training. The method's networks
/// load the <c>train</c> split only (the encoder draws its occluded scenes itself, each with its clean scene's targets).
/// The one exception is the world classifier, the benchmark's judge (<c>acceptOod</c>), which must read attributes
/// behind occluders.
/// </summary>
public static class WorldTrainingSet
{
    public static LabelledImageSet Load(string root, int? limit = null, bool acceptOod = false)
    {
        var layout = new DatasetLayout(root);
        if (!File.Exists(layout.Labels)) throw new FileNotFoundException($"{root} is not a synthetic world (labels.csv missing); write one with `pipeline synth --split train`");
        if (!acceptOod && File.Exists(layout.Manifest) && File.ReadAllText(layout.Manifest).Contains("\"ood\"", StringComparison.Ordinal))
            throw new ArgumentException($"{root} is an ood world; training uses the train split only");
        var lines = File.ReadAllLines(layout.Labels);
        var header = lines[0].Split(',');
        var columns = WorldAttributes.Names.Select(n => Array.IndexOf(header, n)).ToArray();
        if (columns.Any(c => c < 0)) throw new InvalidDataException($"{layout.Labels}: missing attribute columns ({string.Join(", ", WorldAttributes.Names)})");
        var rows = lines.Skip(1).Where(l => l.Length > 0).Take(limit ?? int.MaxValue).ToArray();
        if (rows.Length == 0) throw new InvalidDataException($"{layout.Labels}: no scenes");

        int size = -1;
        byte[]? pixels = null;
        var labels = new float[rows.Length * columns.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            var cells = rows[i].Split(',');
            var image = ImageReader.Read(Path.Combine(root, cells[0]));
            if (size < 0)
            {
                if (image.Width != image.Height) throw new InvalidDataException($"{cells[0]}: training images must be square");
                size = image.Width;
                pixels = new byte[(long)rows.Length * 3 * size * size > int.MaxValue ? throw new InvalidDataException("training set too large for memory") : rows.Length * 3 * size * size];
            }
            if (image.Width != size || image.Height != size) throw new InvalidDataException($"{cells[0]}: {image.Width}x{image.Height}, expected {size}x{size}");
            // HWC → CHW
            int plane = size * size, offset = i * 3 * plane;
            for (int p = 0; p < plane; p++)
                for (int c = 0; c < 3; c++)
                    pixels![offset + c * plane + p] = image.Rgb[3 * p + c];
            for (int a = 0; a < columns.Length; a++) labels[i * columns.Length + a] = cells[columns[a]] == "1" ? 1f : 0f;
        }
        using var scope = NewDisposeScope();
        var px = tensor(pixels!, new long[] { rows.Length, 3, size, size }, ScalarType.Byte);
        var lb = tensor(labels, new long[] { rows.Length, columns.Length });
        return new LabelledImageSet(px.MoveToOuterDisposeScope(), lb.MoveToOuterDisposeScope(), WorldAttributes.Names);
    }
}
