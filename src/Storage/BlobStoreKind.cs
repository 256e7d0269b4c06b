namespace Pipeline.Storage;

public enum BlobStoreKind
{
    /// <summary>A folder on local disk: the embedded, one-process mode.</summary>
    LocalFolder,
    /// <summary>Azure Blob Storage, or Azurite on one box.</summary>
    Azure,
}
