using System.Globalization;
using static TorchSharp.torch;

namespace Pipeline.Editing.Training;

/// <summary>
/// The W+ rows <c>Start..End</c> (inclusive) a GANSpace component edits: the component is fitted on those rows of the
/// codes and applied to them only, every other row of the direction zero.
/// </summary>
public sealed record LayerRange(int Start, int End)
{
    /// <summary>"START-END" (inclusive, 0-based), or null for every row of a code of <paramref name="rows"/>.</summary>
    public static LayerRange Parse(string? text, int rows)
    {
        if (rows < 1) throw new ArgumentException($"codes need at least one row, got {rows}");
        if (string.IsNullOrWhiteSpace(text)) return new LayerRange(0, rows - 1);
        var parts = text.Split('-');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int start)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int end))
            throw new ArgumentException($"--layers must be START-END (0-based, inclusive), got '{text}'");
        if (start > end || end >= rows) throw new ArgumentException($"--layers {text} is outside the code's rows 0-{rows - 1} (or START > END)");
        return new LayerRange(start, end);
    }

    public int Count => End - Start + 1;

    public override string ToString() => $"{Start}-{End}";

    /// <summary>codes [N,n,D] → their rows Start..End flattened [N,Count·D].</summary>
    public Tensor Slice(Tensor codes)
    {
        CheckRows(codes.shape[1]);
        return codes.narrow(1, Start, Count).reshape(codes.shape[0], -1);
    }

    /// <summary>A flattened component [Count·D] → a direction [n,D], zero outside Start..End.</summary>
    public Tensor Embed(Tensor component, int rows, int width)
    {
        CheckRows(rows);
        if (component.numel() != (long)Count * width) throw new ArgumentException($"a component of rows {this} has {Count * width} values, got {component.numel()}");
        using var scope = NewDisposeScope();
        var direction = zeros(new long[] { rows, width }, dtype: component.dtype);
        direction.narrow(0, Start, Count).copy_(component.reshape(Count, width));
        return direction.MoveToOuterDisposeScope();
    }

    void CheckRows(long rows)
    {
        if (End >= rows) throw new ArgumentException($"layer range {this} is outside the code's rows 0-{rows - 1}");
    }
}
