using System.Text.RegularExpressions;

namespace Pipeline.Hosting.Workers;

/// <summary>What of an exception message may reach a client as an item's failure reason: the message with every
/// absolute file path on the worker cut to its file name (where the server keeps its files is not the client's to see).</summary>
public static partial class FailureReasons
{
    public static string WithoutPaths(string reason) => AbsolutePath().Replace(reason, m => m.Groups["name"].Value);

    // A Unix path starts with '/' after a space, quote or bracket (not inside a URL or a fraction such as 50/40); a
    // Windows path with a drive letter.
    [GeneratedRegex(@"(?<![\w:/.\\])(?:/|[A-Za-z]:\\)(?:[^\s/\\'""()]+[/\\])+(?<name>[^\s/\\'""()]*)")]
    private static partial Regex AbsolutePath();
}
