using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Runtime;
using Pipeline.Hosting.Workers;
using static TorchSharp.torch;

namespace Pipeline.Workers.Method;

/// <summary>How tensors cross stage boundaries: latents, masks and every image a stage makes (the fitted input, the
/// inversion, the edited images, the composite, the final image) as safetensors (fp16 on request) whose metadata carries
/// what the next stages and the client report (how the inversion was made, degenerate edits). Everything stored is a
/// function of the inputs, the models, the job's options and its seed: a recomputed item (a resent or duplicated
/// command) writes the same bytes, so the hashes an earlier event announced stay true. Timings are not stored; the
/// workers log them (<see cref="ItemOutcome{TOutput}.Milliseconds"/>). Stage images stay float and unclamped
/// because the reference feeds the generator's raw output (it can leave [−1,1]) to Diff-CAM, the composition and
/// Deghosting: a PNG hand-over would clamp and round it, and the workers would then compute another mask than the method
/// does in one process. Next to them each stage stores 8-bit PNG renders for people (<see cref="Png"/>,
/// <see cref="MaskPng"/>), made by the same conversion as the client's item output folder
/// (<see cref="Pipeline.Editing.Imaging.RgbImage"/>, <see cref="Pipeline.Editing.Imaging.ImageWriter"/>).</summary>
public static class StagePayloads
{
    /// <summary>The name of the single-image tensor in a latent payload.</summary>
    public const string LatentTensor = "latent";

    /// <summary>The final mask M in a mask payload; the per-step masks follow as <c>step_mask_1</c>….</summary>
    public const string MaskTensor = "mask";

    public static string StepMaskTensor(int step) => $"step_mask_{step}";

    /// <summary>JSON of the <see cref="Pipeline.Editing.Method.InversionRecord"/> that made a latent (encoder or projection, steps, seed).</summary>
    public const string InversionMetadata = "inversion";

    /// <summary>The device the stage that wrote the payload ran on (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>), for item.json.</summary>
    public const string DeviceMetadata = "device";

    /// <summary>The device a stage payload records; payloads of workers that did not record one say so.</summary>
    public static string DeviceOf(StateDict payload) =>
        payload.Metadata.TryGetValue(DeviceMetadata, out var device) ? device : "unrecorded";

    /// <summary>Comma-separated attributes whose Diff-CAM was constant (their step mask is zero).</summary>
    public const string DegenerateEdits = "degenerate_edits";

    /// <summary>The image tensor [1,3,S,S] in a stage-image payload.</summary>
    public const string ImageTensor = "image";

    /// <summary>[3,S,S] or [1,3,S,S] → safetensors (fp16 on request), values as computed; <paramref name="metadata"/>
    /// travels with it.</summary>
    public static Payload StageImage(Tensor image, bool halfPrecision, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var batched = image.dim() == 3 ? image.unsqueeze(0) : image.alias();
        return SafeTensors([(ImageTensor, batched)], metadata ?? new Dictionary<string, string>(), halfPrecision);
    }

    /// <summary>An image [3,S,S] or [1,3,S,S] in [−1,1] as an 8-bit PNG render for <paramref name="role"/>.</summary>
    public static PngRender Png(string role, Tensor image) => new(role, ImageWriter.EncodePng(RgbImage.FromTensor(image)));

    /// <summary>A mask [1,S,S] or [1,1,S,S] in [0,1] as a grey 8-bit PNG render for <paramref name="role"/>.</summary>
    public static PngRender MaskPng(string role, Tensor mask) => new(role, ImageWriter.EncodePng(RgbImage.FromMask(mask)));

    /// <summary>PNG/JPEG/WebP bytes → [1,3,H,W] in [−1,1], decoded for <paramref name="target"/> (the whole canvas by
    /// default); an undecodable image is an <see cref="ImageDecodeException"/>.</summary>
    public static Tensor DecodeImage(ReadOnlyMemory<byte> bytes, string what, DecodeTarget target = default)
    {
        if (bytes.IsEmpty)
            throw new ImageDecodeException(what, "the file is empty");
        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        return ImageReader.Read(stream, what, target).ToTensor();
    }

    /// <summary>A stage image payload (<see cref="StageImage"/>) → [1,3,S,S] float32.</summary>
    public static Tensor DecodeStageImage(Payload payload, string role)
    {
        using var dict = ReadSafeTensors(payload, role);
        if (!dict.TryGetValue(ImageTensor, out var image))
            throw new InvalidDataException($"the {role} payload has no '{ImageTensor}' tensor");
        if (image.dim() != 4 || image.shape[0] != 1 || image.shape[1] != 3)
            throw new InvalidDataException($"the {role} payload's image is [{string.Join(",", image.shape)}], not [1,3,S,S]");
        // Outside any dispose scope here: a temporary handed straight to a native call could be finalised during it.
        return TensorCopy.DetachedFloat32Copy(image);
    }

    public static Payload SafeTensors(IEnumerable<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string> metadata, bool halfPrecision)
    {
        // The payload borrows the tensors: the StateDict is not disposed here.
        var dict = new StateDict();
        foreach (var (name, tensor) in tensors)
            dict.Add(name, tensor);
        foreach (var (key, value) in metadata)
            dict.Metadata[key] = value;
        using var stream = new MemoryStream();
        SafeTensorsFile.Write(stream, dict, halfPrecision);
        return new Payload(stream.ToArray(), MediaTypes.SafeTensors);
    }

    /// <summary>Reads a safetensors payload; tensors come back as float32 (fp16 payloads are widened).</summary>
    public static StateDict ReadSafeTensors(Payload payload, string role)
    {
        if (payload.MediaType != MediaTypes.SafeTensors)
            throw new InvalidDataException($"the {role} payload is {payload.MediaType}, not {MediaTypes.SafeTensors}");
        using var stream = new MemoryStream(payload.Bytes.ToArray(), writable: false);
        return SafeTensorsFile.Read(stream, role);
    }
}
