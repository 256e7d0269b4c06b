using Pipeline.Editing.Imaging;

namespace Pipeline.Workers.Method;

/// <summary>The one-line reason a user sees on a rejected item.</summary>
internal static class Reasons
{
    /// <summary>An image problem without the placeholder item name (the client names the item), else the message.</summary>
    public static string Of(Exception e) => (e is ImageDecodeException decode ? decode.Reason : e.Message).ReplaceLineEndings(" ");
}
