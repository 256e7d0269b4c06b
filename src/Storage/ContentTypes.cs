namespace Pipeline.Storage;

/// <summary>Content type from a blob name's extension, for stores that keep no metadata (the local folder).</summary>
public static class ContentTypes
{
    public const string Binary = "application/octet-stream";
    public const string Png = "image/png";

    public static string FromName(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".png" => Png,
        ".jpg" or ".jpeg" => "image/jpeg",
        ".safetensors" => "application/vnd.safetensors",
        ".json" => "application/json",
        "." + StageBundle.Extension => StageBundle.ContentType,
        _ => Binary,
    };
}
