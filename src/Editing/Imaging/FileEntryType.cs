using System.Runtime.InteropServices;
using System.Text;

namespace Pipeline.Editing.Imaging;

/// <summary>What a directory entry is, as <c>lstat</c> reports it.</summary>
public enum EntryType { Missing, RegularFile, Directory, SymbolicLink, Fifo, Socket, CharacterDevice, BlockDevice, Other }

/// <summary>
/// The type of a path without opening it. .NET has no portable way to tell a named pipe, a socket or a device from an
/// empty regular file (all three report <see cref="FileAttributes.Normal"/> and length 0 on Linux), and opening a FIFO
/// for reading blocks until a writer appears, so the type comes from <c>lstat</c>; <c>realpath</c> says where a
/// symbolic link really leads (every link on the way followed). Elsewhere than Linux x64/arm64 it falls back to the
/// file attributes (directories and links are told apart; special files are not).
/// </summary>
public static class FileEntryType
{
    const uint TypeMask = 0xF000;

    public static EntryType Of(string path)
    {
        var offset = ModeOffset();
        if (offset < 0) return FromAttributes(path);
        var stat = new byte[256];
        try
        {
            if (lstat(path, stat) != 0) return EntryType.Missing;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return FromAttributes(path);
        }
        return (BitConverter.ToUInt32(stat, offset) & TypeMask) switch
        {
            0x8000 => EntryType.RegularFile,
            0x4000 => EntryType.Directory,
            0xA000 => EntryType.SymbolicLink,
            0x1000 => EntryType.Fifo,
            0xC000 => EntryType.Socket,
            0x2000 => EntryType.CharacterDevice,
            0x6000 => EntryType.BlockDevice,
            _ => EntryType.Other,
        };
    }

    /// <summary>The absolute path a link leads to with every link on the way resolved, or null when it leads nowhere.</summary>
    public static string? RealPath(string path)
    {
        if (ModeOffset() >= 0)
        {
            var buffer = new byte[4097];
            try
            {
                if (realpath(path, buffer) == IntPtr.Zero) return null;
                return Encoding.UTF8.GetString(buffer, 0, Array.IndexOf(buffer, (byte)0));
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
            }
        }
        var final = File.ResolveLinkTarget(path, returnFinalTarget: true);
        return final is { Exists: true } ? final.FullName : null;
    }

    public static string Describe(EntryType type) => type switch
    {
        EntryType.Directory => "a directory",
        EntryType.SymbolicLink => "a symbolic link",
        EntryType.Fifo => "a named pipe (FIFO)",
        EntryType.Socket => "a socket",
        EntryType.CharacterDevice => "a character device",
        EntryType.BlockDevice => "a block device",
        EntryType.Missing => "missing",
        EntryType.RegularFile => "a file",
        _ => "a special file",
    };

    /// <summary>Where <c>st_mode</c> sits in the kernel's <c>struct stat</c>; -1 where this class does not know.</summary>
    static int ModeOffset()
    {
        if (!OperatingSystem.IsLinux()) return -1;
        return RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 24,
            Architecture.Arm64 => 16,
            _ => -1,
        };
    }

    static EntryType FromAttributes(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists && !Directory.Exists(path) && info.LinkTarget is null) return EntryType.Missing;
        if (info.LinkTarget is not null) return EntryType.SymbolicLink;
        return info.Attributes.HasFlag(FileAttributes.Directory) ? EntryType.Directory : EntryType.RegularFile;
    }

    [DllImport("libc", SetLastError = true)]
    static extern int lstat(string path, byte[] buf);

    [DllImport("libc", SetLastError = true)]
    static extern IntPtr realpath(string path, byte[] resolved);
}
