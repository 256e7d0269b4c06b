using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Pipeline.Contracts;

namespace Pipeline.Storage;

/// <summary>Blobs in one Azure Blob Storage container (Azurite on one box). The SHA-256 of each blob is kept in its
/// metadata, so deciding whether a write can be skipped costs a HEAD request and no download.</summary>
public sealed class AzureBlobStore : IBlobStore
{
    private const string Sha256Metadata = "sha256";
    private readonly BlobContainerClient _container;
    private readonly SemaphoreSlim _createLock = new(1, 1);
    private volatile bool _containerExists;

    public AzureBlobStore(BlobContainerClient container) => _container = container;

    public Uri ContainerUri => _container.Uri;

    public async Task<BlobPutResult> PutAsync(string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        var (created, blob, stored) = await TryCreateAsync(name, content, contentType, cancellationToken);
        if (created)
            return new BlobPutResult(blob, Written: true);
        // Already there (a redelivery): keep it when the bytes are the same, overwrite otherwise.
        if (stored is not null && stored.Sha256 == blob.Sha256)
            return new BlobPutResult(blob, Written: false);
        await _container.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(content), UploadOptions(blob, ifAbsent: false), cancellationToken);
        return new BlobPutResult(blob, Written: true);
    }

    public async Task<BlobPutResult> PutIfAbsentAsync(string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        var (created, blob, stored) = await TryCreateAsync(name, content, contentType, cancellationToken);
        // Deleted between the refused create and the look-up (only a cleanup does that): report these bytes unwritten,
        // which a caller treats like a lost race and handles by reading the name again.
        return new BlobPutResult(created ? blob : stored ?? blob, created);
    }

    /// <summary>Create-only upload: the usual case (a new output) costs one request; when the name is taken, what is
    /// stored there.</summary>
    private async Task<(bool Created, BlobRef Blob, BlobRef? Stored)> TryCreateAsync(string name, ReadOnlyMemory<byte> content, string contentType,
        CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        var blob = new BlobRef(name, Sha256Hex.Of(content.Span), content.Length, contentType);
        try
        {
            await _container.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(content), UploadOptions(blob, ifAbsent: true), cancellationToken);
            return (true, blob, blob);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return (false, blob, await TryGetRefAsync(name, cancellationToken));
        }
    }

    private static BlobUploadOptions UploadOptions(BlobRef blob, bool ifAbsent) => new()
    {
        HttpHeaders = new BlobHttpHeaders { ContentType = blob.ContentType },
        Metadata = new Dictionary<string, string> { [Sha256Metadata] = blob.Sha256 },
        Conditions = ifAbsent ? new BlobRequestConditions { IfNoneMatch = ETag.All } : null,
    };

    public async Task<byte[]> GetAsync(BlobRef blob, CancellationToken cancellationToken)
    {
        if (blob.Offset is { } offset)
            return BlobSlices.Slice(blob, await ReadRangeAsync(blob.Name, offset, blob.Length, cancellationToken), offset);
        try
        {
            var result = await _container.GetBlobClient(blob.Name).DownloadContentAsync(cancellationToken);
            var bytes = result.Value.Content.ToArray();
            BlobSlices.Verify(blob, bytes);
            return bytes;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new BlobNotFoundException(blob.Name);
        }
    }

    public async Task<byte[]> ReadRangeAsync(string name, long offset, long length, CancellationToken cancellationToken)
    {
        if (length <= 0)
            return [];
        try
        {
            var options = new BlobDownloadOptions { Range = new HttpRange(offset, length) };
            var result = await _container.GetBlobClient(name).DownloadContentAsync(options, cancellationToken);
            return result.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new BlobNotFoundException(name);
        }
        catch (RequestFailedException e) when (e.Status == 416)
        {
            // The range starts past the end: nothing stored there (the caller's hash check names the problem).
            return [];
        }
    }

    public async Task<BlobRef?> TryGetRefAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var client = _container.GetBlobClient(name);
            BlobProperties properties = await client.GetPropertiesAsync(cancellationToken: cancellationToken);
            if (!properties.Metadata.TryGetValue(Sha256Metadata, out var sha256))
            {
                // Written by something else than this store: hash it once.
                await using var stream = await client.OpenReadAsync(cancellationToken: cancellationToken);
                sha256 = await Sha256Hex.OfAsync(stream, cancellationToken);
            }
            return new BlobRef(name, sha256, properties.ContentLength, properties.ContentType ?? ContentTypes.FromName(name));
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        try
        {
            await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken))
                names.Add(item.Name);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No container yet: nothing stored.
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            Response<bool> deleted = await _container.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cancellationToken);
            return deleted.Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (_containerExists)
            return;
        await _createLock.WaitAsync(cancellationToken);
        try
        {
            if (!_containerExists)
            {
                await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                _containerExists = true;
            }
        }
        finally
        {
            _createLock.Release();
        }
    }
}
