using Pipeline.Contracts;

namespace Pipeline.Storage;

/// <summary>Blobs as files under a root folder, for the embedded mode. Writes go to a temporary file that is then
/// renamed into place, so a reader never sees half a blob.</summary>
public sealed class LocalFolderBlobStore : IBlobStore
{
    private readonly string _root;

    public LocalFolderBlobStore(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    public async Task<BlobPutResult> PutAsync(string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        var blob = new BlobRef(name, Sha256Hex.Of(content.Span), content.Length, contentType);
        var stored = await TryGetRefAsync(name, cancellationToken);
        if (stored is not null && stored.Sha256 == blob.Sha256)
            return new BlobPutResult(blob, Written: false);
        await WriteAsync(name, content, overwrite: true, cancellationToken);
        return new BlobPutResult(blob, Written: true);
    }

    public async Task<BlobPutResult> PutIfAbsentAsync(string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        var blob = new BlobRef(name, Sha256Hex.Of(content.Span), content.Length, contentType);
        if (await WriteAsync(name, content, overwrite: false, cancellationToken))
            return new BlobPutResult(blob, Written: true);
        return new BlobPutResult(await TryGetRefAsync(name, cancellationToken) ?? blob, Written: false);
    }

    /// <summary>Writes a temporary file and renames it into place (without <paramref name="overwrite"/>, a rename that
    /// finds the name taken stores nothing and returns false; of writers racing for one name exactly one wins).</summary>
    private async Task<bool> WriteAsync(string name, ReadOnlyMemory<byte> content, bool overwrite, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await File.WriteAllBytesAsync(temporary, content, cancellationToken);
            if (!overwrite)
                return NoReplaceRename.TryMove(temporary, path);
            File.Move(temporary, path, overwrite: true);
            return true;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public async Task<byte[]> GetAsync(BlobRef blob, CancellationToken cancellationToken)
    {
        if (blob.Offset is { } offset)
            return BlobSlices.Slice(blob, await ReadRangeAsync(blob.Name, offset, blob.Length, cancellationToken), offset);
        var path = PathOf(blob.Name);
        if (!File.Exists(path))
            throw new BlobNotFoundException(blob.Name);
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        BlobSlices.Verify(blob, bytes);
        return bytes;
    }

    public async Task<byte[]> ReadRangeAsync(string name, long offset, long length, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        if (!File.Exists(path))
            throw new BlobNotFoundException(name);
        await using var stream = File.OpenRead(path);
        var available = Math.Clamp(stream.Length - offset, 0, Math.Max(0, length));
        var bytes = new byte[available];
        stream.Seek(offset, SeekOrigin.Begin);
        await stream.ReadExactlyAsync(bytes, cancellationToken);
        return bytes;
    }

    public async Task<BlobRef?> TryGetRefAsync(string name, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        if (!File.Exists(path))
            return null;
        await using var stream = File.OpenRead(path);
        return new BlobRef(name, await Sha256Hex.OfAsync(stream, cancellationToken), stream.Length, ContentTypes.FromName(name));
    }

    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        // The deepest folder the prefix names fully; names are then filtered by the whole prefix.
        var folder = prefix.LastIndexOf('/') is var slash and >= 0 ? prefix[..slash] : "";
        var start = folder.Length == 0 ? _root : PathOf(folder);
        if (!Directory.Exists(start))
            return Task.FromResult<IReadOnlyList<string>>([]);
        var names = Directory.EnumerateFiles(start, "*", SearchOption.AllDirectories)
            .Where(path => !path.EndsWith(".tmp", StringComparison.Ordinal))
            .Select(path => Path.GetRelativePath(_root, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        return Task.FromResult<IReadOnlyList<string>>(names);
    }

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        if (!File.Exists(path))
            return Task.FromResult(false);
        File.Delete(path);
        RemoveEmptyFolders(Path.GetDirectoryName(path)!);
        return Task.FromResult(true);
    }

    /// <summary>Folders left empty by a delete go too, up to the root, so a deleted job leaves no tree behind.</summary>
    private void RemoveEmptyFolders(string folder)
    {
        while (folder.Length > _root.Length && folder.StartsWith(_root, StringComparison.Ordinal)
               && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            try
            {
                Directory.Delete(folder);
            }
            catch (IOException)
            {
                return; // a writer added a file meanwhile
            }
            folder = Path.GetDirectoryName(folder)!;
        }
    }

    private string PathOf(string name)
    {
        if (!BlobNames.IsSafe(name))
            throw new ArgumentException($"'{name}' is not a valid blob name (relative, '/'-separated, no '.' or '..' segments)", nameof(name));
        return Path.Combine(_root, name.Replace('/', Path.DirectorySeparatorChar));
    }
}
