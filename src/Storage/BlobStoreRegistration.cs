using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Pipeline.Storage;

public static class BlobStoreRegistration
{
    /// <summary>Registers <see cref="IBlobStore"/> from <see cref="BlobStorageOptions"/> (section of the same name):
    /// the chosen store, wrapped in the resilience pipeline and, when configured, the write journal.</summary>
    public static IServiceCollection AddBlobStore(this IServiceCollection services)
    {
        services.AddOptions<BlobStorageOptions>().BindConfiguration(nameof(BlobStorageOptions));
        services.AddSingleton<IBlobStore>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<BlobStorageOptions>>().Value;
            var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BlobStoreRegistration));
            return Create(options, logger);
        });
        return services;
    }

    public static IBlobStore Create(BlobStorageOptions options, ILogger logger)
    {
        IBlobStore store;
        switch (options.Kind)
        {
            case BlobStoreKind.Azure:
                if (string.IsNullOrWhiteSpace(options.ConnectionString))
                    throw new InvalidOperationException("BlobStorageOptions:ConnectionString is required for the Azure blob store");
                var azure = new AzureBlobStore(CreateContainer(options));
                logger.LogInformation("Blob store: Azure container {ContainerUri}", Secrets.MaskUri(azure.ContainerUri));
                store = azure;
                break;
            case BlobStoreKind.LocalFolder:
                logger.LogInformation("Blob store: local folder {Root}", Path.GetFullPath(options.Root));
                store = new LocalFolderBlobStore(options.Root);
                break;
            default:
                throw new InvalidOperationException($"unknown blob store kind {options.Kind}");
        }
        store = new ResilientBlobStore(store, StorageResilience.Create(options));
        return string.IsNullOrWhiteSpace(options.WriteJournal) ? store : new BlobWriteJournal(store, options.WriteJournal);
    }

    /// <summary>The container client; a connection string the SDK cannot parse is reported without its secrets (the
    /// SDK's message may quote it).</summary>
    private static BlobContainerClient CreateContainer(BlobStorageOptions options)
    {
        try
        {
            return new BlobServiceClient(options.ConnectionString, StorageResilience.AzureClientOptions(options)).GetBlobContainerClient(options.Container);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidOperationException(
                $"BlobStorageOptions:ConnectionString is not a usable Azure storage connection string ({Secrets.MaskConnectionString(options.ConnectionString)}): " +
                Secrets.MaskConnectionString(e.Message));
        }
    }
}
