namespace Pipeline.Hosting.Workers;

/// <summary>Media types of stage payloads; the blob name's extension follows from them.</summary>
public static class MediaTypes
{
    public const string Png = "image/png";
    public const string SafeTensors = "application/vnd.safetensors";
    public const string Json = "application/json";
    public const string Binary = "application/octet-stream";

    public static string Extension(string mediaType) => mediaType switch
    {
        Png => "png",
        SafeTensors => "safetensors",
        Json => "json",
        _ => "bin",
    };
}
