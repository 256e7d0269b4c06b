namespace Pipeline.Hosting.Workers;

/// <summary>Bytes that travel between stages through blob storage, with their media type
/// (<see cref="MediaTypes.Png"/> for images, <see cref="MediaTypes.SafeTensors"/> for tensors).</summary>
public sealed record Payload(ReadOnlyMemory<byte> Bytes, string MediaType);
