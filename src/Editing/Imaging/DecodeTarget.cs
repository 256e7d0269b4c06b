namespace Pipeline.Editing.Imaging;

/// <summary>What the caller does with a decoded image, so that the reader decodes no more pixels than that needs:
/// the whole canvas (<see cref="Full"/>: alignment, outputs), or the models' input of <c>Size</c>×<c>Size</c> reached by
/// <see cref="SizePolicy.Fit"/> under <c>Mode</c>.</summary>
public readonly record struct DecodeTarget(int Size, SizeMode Mode)
{
    public static DecodeTarget Full => default;

    public static DecodeTarget ForModel(int size, SizeMode mode) =>
        size > 0 ? new DecodeTarget(size, mode) : throw new ArgumentOutOfRangeException(nameof(size), size, "the models' size must be positive");

    public bool IsFull => Size == 0;
}
