namespace Pipeline.Storage;

/// <summary>Removing a whole folder of blobs (a job's stage bundles) with the store's list and delete.</summary>
public static class BlobDeletion
{
    /// <summary>Deletes every blob under <paramref name="prefix"/>; returns how many were removed.</summary>
    public static async Task<int> DeleteFolderAsync(this IBlobStore store, string prefix, CancellationToken cancellationToken)
    {
        if (!prefix.EndsWith('/') || !BlobNames.IsSafe(prefix.TrimEnd('/')))
            throw new ArgumentException($"'{prefix}' is not a folder prefix (a safe blob name ending with '/')", nameof(prefix));
        var deleted = 0;
        foreach (var name in await store.ListAsync(prefix, cancellationToken))
            if (await store.DeleteAsync(name, cancellationToken))
                deleted++;
        return deleted;
    }
}
