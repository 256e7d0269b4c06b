namespace Pipeline.Editing.Method;

/// <summary>How the mask of a direction's edit is made.</summary>
public enum DirectionMaskKind
{
    /// <summary>Diff-CAM over the direction's own DA class (the manifest's <c>class_index</c>): the DA module was trained on it.</summary>
    OwnClass,
    /// <summary>Diff-CAM over another direction's class: the nearest trained direction, or one named in the manifest.</summary>
    BorrowedClass,
    /// <summary>No class: the channel mean of |E(T) − E(I')| of the DA module's Siamese trunk (<see cref="ActivationDifferenceMask"/>).</summary>
    Agnostic,
}

/// <summary>
/// The mask a direction's edits get: the Diff-CAM target class (or <see cref="AgnosticTarget"/>) and a line saying why,
/// which the pack's load log and every item's provenance carry.
/// </summary>
public sealed record DirectionMask(DirectionMaskKind Kind, int Target, string Description)
{
    /// <summary>The target of a class-agnostic mask, in place of a class index in a step's target list.</summary>
    public const int AgnosticTarget = -1;

    /// <summary>Manifest value of <c>mask</c>: Diff-CAM over the nearest trained direction's class (by |cosine|).</summary>
    public const string Nearest = "nearest";

    /// <summary>Manifest value of <c>mask</c>: the class-agnostic activation difference.</summary>
    public const string Agnostic = "agnostic";

    public static DirectionMask OwnClass(int classIndex) => new(DirectionMaskKind.OwnClass, classIndex, $"Diff-CAM of DA class {classIndex}");

    public static DirectionMask ClassAgnostic() => new(DirectionMaskKind.Agnostic, AgnosticTarget, "class-agnostic: channel mean of |E(T) - E(I')| of the DA trunk");
}
