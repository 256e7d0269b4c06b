namespace Pipeline.Editing.Imaging;

/// <summary>One entry of an input folder (or a single input file) and, when it cannot be an image, the reason, decided
/// from <c>lstat</c> and the file size alone: nothing is opened to classify it.</summary>
public sealed record InputEntry(string Path, string? Refusal)
{
    public string FileName => System.IO.Path.GetFileName(Path);
}

/// <summary>
/// Lists an input folder so that every entry gets a line: a regular file (or a link to one inside the folder) within
/// the byte limit is an item; a directory, a named pipe, a socket, a device, a link leading outside the folder or
/// nowhere, an empty or oversized file is refused with its reason. The entry type comes from <c>lstat</c>
/// (<see cref="FileEntryType"/>), so a FIFO is never opened (opening one blocks until a writer appears). Names are
/// listed in ordinal order; the entries are classified lazily, one at a time, as the caller takes them.
/// </summary>
public static class InputFolder
{
    public static IEnumerable<InputEntry> List(string input, ImageLimits limits)
    {
        if (!Directory.Exists(input))
        {
            yield return Check(input, folder: null, limits);
            yield break;
        }
        var folder = FileEntryType.RealPath(input) ?? Path.GetFullPath(input);
        foreach (var path in Directory.EnumerateFileSystemEntries(input).Order(StringComparer.Ordinal).ToList())
            yield return Check(path, folder, limits);
    }

    /// <param name="folder">the real path of the folder a link must stay inside; null for a file named on its own</param>
    public static InputEntry Check(string path, string? folder, ImageLimits limits)
    {
        var type = FileEntryType.Of(path);
        var target = path;
        if (type == EntryType.SymbolicLink)
        {
            var real = FileEntryType.RealPath(path);
            if (real is null)
                return new InputEntry(path, "a symbolic link whose target does not exist");
            if (folder is not null && !real.StartsWith(folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                return new InputEntry(path, "a symbolic link leading outside the input folder; it is not followed");
            type = FileEntryType.Of(real);
            target = real;
        }
        if (type == EntryType.Missing)
            return new InputEntry(path, "file not found");
        if (type != EntryType.RegularFile)
            return new InputEntry(path, $"{FileEntryType.Describe(type)}, not an image file; it is not opened");
        return new InputEntry(path, limits.CheckFileBytes(new FileInfo(target).Length));
    }
}
