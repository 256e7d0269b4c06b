using Pipeline.Contracts;

namespace Pipeline.Hosting.Workers;

/// <summary>Checks every stage can make without knowing the method: an edit chain that is present, named and finite.
/// Which attributes exist is the processor's business.</summary>
public static class EditChain
{
    public static void Validate(IReadOnlyList<EditSpec>? edits)
    {
        if (edits is null || edits.Count == 0)
            throw new ItemInputException("no edit was given; at least one edit (attribute=strength) is needed");
        for (var step = 0; step < edits.Count; step++)
        {
            var edit = edits[step];
            if (string.IsNullOrWhiteSpace(edit.Attribute))
                throw new ItemInputException($"edit {step + 1} has no attribute name");
            if (!double.IsFinite(edit.Strength))
                throw new ItemInputException($"edit {step + 1} ('{edit.Attribute}') has strength {edit.Strength}; a strength must be a finite number");
        }
    }
}
