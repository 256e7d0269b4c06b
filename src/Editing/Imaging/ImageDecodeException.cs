namespace Pipeline.Editing.Imaging;

/// <summary>An input image that cannot be used; the message names the file and says why in words a user understands.</summary>
public sealed class ImageDecodeException(string item, string reason) : Exception($"{item}: {reason}")
{
    public string Item { get; } = item;
    public string Reason { get; } = reason;

    /// <summary>
    /// The one-line reason an item is refused, for the places that name the item themselves (a progress line, a row of
    /// summary.csv, a job's failure reason): an image problem without its file name, anything else as its message.
    /// </summary>
    public static string ReasonOf(Exception e) => (e is ImageDecodeException decode ? decode.Reason : e.Message).ReplaceLineEndings(" ");
}
