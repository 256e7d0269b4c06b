namespace Pipeline.Editing.Imaging;

/// <summary>An input image that cannot be used; the message names the file and says why in words a user understands.</summary>
public sealed class ImageDecodeException(string item, string reason) : Exception($"{item}: {reason}")
{
    public string Item { get; } = item;
    public string Reason { get; } = reason;
}
