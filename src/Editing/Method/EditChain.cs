using System.Globalization;

namespace Pipeline.Editing.Method;

/// <summary>
/// The edits of one item, in order, resolved against a model pack: each attribute's direction, every strength finite.
/// The one place an edit chain is checked: the in-process engine, the stage workers and the command line all go
/// through it, so an item is refused for the same reason, in the same words, wherever it runs.
/// </summary>
public sealed class EditChain
{
    EditChain(IReadOnlyList<AttributeEdit> edits, IReadOnlyList<LoadedDirection> directions)
    {
        Edits = edits;
        Directions = directions;
    }

    public IReadOnlyList<AttributeEdit> Edits { get; }

    /// <summary>The direction of each edit, in edit order.</summary>
    public IReadOnlyList<LoadedDirection> Directions { get; }

    public int Count => Edits.Count;

    /// <summary>Checks the chain and looks up every direction; an unknown attribute is an
    /// <see cref="UnknownAttributeException"/>, anything else wrong an <see cref="ArgumentException"/>.</summary>
    public static EditChain Resolve(EditModels models, IReadOnlyList<AttributeEdit> edits)
    {
        CheckNotEmpty(edits);
        var directions = new List<LoadedDirection>(edits.Count);
        foreach (var edit in edits)
        {
            directions.Add(models.Direction(edit.Attribute));
            CheckStrength(edit.Attribute, edit.Strength);
        }
        return new EditChain(edits, directions);
    }

    /// <summary>What can be checked without the model pack (named attributes, finite strengths): for callers that do not
    /// hold the networks, such as the invert worker before it downloads an image, or the command line before a job is sent.</summary>
    public static void Check(IReadOnlyList<AttributeEdit> edits)
    {
        CheckNotEmpty(edits);
        for (var step = 0; step < edits.Count; step++)
        {
            if (string.IsNullOrWhiteSpace(edits[step].Attribute))
                throw new ArgumentException($"edit {step + 1} has no attribute name");
            CheckStrength(edits[step].Attribute, edits[step].Strength);
        }
    }

    /// <summary>A NaN or infinite strength would turn every pixel of the item into NaN: refused with the edit named.</summary>
    public static void CheckStrength(string attribute, double strength)
    {
        if (!double.IsFinite(strength))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"edit '{attribute}' has strength {strength}; a strength must be a finite number"));
    }

    /// <summary>Per step, the mask target of its edit once per sample of a batch of <paramref name="batch"/>: the
    /// Grad-CAM class of that step, or <see cref="DirectionMask.AgnosticTarget"/>.</summary>
    public IReadOnlyList<IReadOnlyList<long>> Targets(long batch) =>
        Directions.Select(d => (IReadOnlyList<long>)Enumerable.Repeat((long)d.Mask.Target, (int)batch).ToArray()).ToList();

    /// <summary>Equal for chains with the same attributes and exactly the same strengths in the same order: items whose
    /// keys are equal can share one tensor batch.</summary>
    public string Key => string.Join(";", Edits.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Attribute}={e.Strength:R}")));

    static void CheckNotEmpty(IReadOnlyList<AttributeEdit> edits)
    {
        if (edits.Count == 0)
            throw new ArgumentException("no edit was given; at least one edit (attribute=strength) is needed");
    }
}
