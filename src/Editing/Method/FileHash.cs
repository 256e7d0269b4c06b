using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Pipeline.Editing.Method;

/// <summary>sha256 of files, cached by path + size + modification time (model files are hundreds of MB).</summary>
public static class FileHash
{
    static readonly ConcurrentDictionary<(string, long, DateTime), string> Cache = new();

    public static string Sha256(string path)
    {
        var info = new FileInfo(path);
        var key = (info.FullName, info.Length, info.LastWriteTimeUtc);
        return Cache.GetOrAdd(key, _ =>
        {
            using var stream = File.OpenRead(path);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        });
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
