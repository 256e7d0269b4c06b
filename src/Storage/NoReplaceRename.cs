using System.Runtime.InteropServices;

namespace Pipeline.Storage;

/// <summary>Moves a file to a name only if that name is free, as one step. .NET's <c>File.Move(..., overwrite: false)</c>
/// checks and renames in two steps on Linux, so two writers racing for one name can both "win" (measured: 52 of 2,000
/// four-writer races). On Linux, <c>renameat2(RENAME_NOREPLACE)</c> does it in the kernel; a file system without that
/// flag gets <c>link</c> + <c>unlink</c>, which is just as exclusive; other systems keep <c>File.Move</c>.</summary>
public static class NoReplaceRename
{
    /// <summary>Renames <paramref name="source"/> to <paramref name="destination"/>; false, with the source left in
    /// place, when the destination already exists.</summary>
    public static bool TryMove(string source, string destination)
    {
        if (!OperatingSystem.IsLinux())
            return MoveWithFramework(source, destination);
        var error = RenameNoReplaceOrError(source, destination);
        if (error == 0)
            return true;
        if (error == FileExists)
            return false;
        if (error is not (InvalidArgument or NotSupported or NoSuchCall))
            throw Failure(error, source, destination);
        // The kernel, C library or file system does not know RENAME_NOREPLACE: a hard link also refuses a taken name.
        if (link(source, destination) != 0)
        {
            error = Marshal.GetLastPInvokeError();
            if (error == FileExists)
                return false;
            throw Failure(error, source, destination);
        }
        File.Delete(source);
        return true;
    }

    private static int RenameNoReplaceOrError(string source, string destination)
    {
        try
        {
            return renameat2(AtCurrentDirectory, source, AtCurrentDirectory, destination, RenameNoReplace) == 0
                ? 0
                : Marshal.GetLastPInvokeError();
        }
        catch (EntryPointNotFoundException)
        {
            return NoSuchCall; // a C library older than glibc 2.28
        }
    }

    private static bool MoveWithFramework(string source, string destination)
    {
        try
        {
            File.Move(source, destination, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(destination))
        {
            return false;
        }
    }

    private static IOException Failure(int error, string source, string destination) =>
        new($"could not move '{source}' to '{destination}': {Marshal.GetPInvokeErrorMessage(error)} (errno {error})");

    private const int AtCurrentDirectory = -100; // AT_FDCWD
    private const uint RenameNoReplace = 1;      // RENAME_NOREPLACE
    private const int FileExists = 17;           // EEXIST
    private const int InvalidArgument = 22;      // EINVAL: the flag is not supported by this file system
    private const int NotSupported = 95;         // EOPNOTSUPP
    private const int NoSuchCall = 38;           // ENOSYS: a kernel older than 3.15

    [DllImport("libc", SetLastError = true)]
    private static extern int renameat2(int oldDirectory, string oldPath, int newDirectory, string newPath, uint flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int link(string oldPath, string newPath);
}
