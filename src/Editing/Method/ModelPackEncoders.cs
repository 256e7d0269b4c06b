using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Networks.Psp;

namespace Pipeline.Editing.Method;

/// <summary>
/// A pack's further encoders (<see cref="ModelPackManifest.OtherEncoders"/>): a pSp container of another encoder type,
/// trained against the pack's generator, is copied in as <c>&lt;short name&gt;.pt</c> (e.g. <c>e4e.pt</c>) with the main
/// encoder's configuration and its own type, and the pack is loaded once to check it.
/// </summary>
public static class ModelPackEncoders
{
    /// <summary>The training provenance file a training run writes beside its checkpoint.</summary>
    public const string RunFile = "run.json";

    /// <summary>The pack file of an encoder of <paramref name="type"/> besides the main one.</summary>
    public static string FileFor(EncoderType type) => EncoderTypes.ShortName(type) + ".pt";

    /// <summary>Adds (or replaces) the encoder in <paramref name="encoderFile"/>; its <c>run.json</c>, when there is one, goes
    /// into the manifest's training provenance as <c>encoder:&lt;short name&gt;</c>.</summary>
    public static ModelPackManifest Add(string packDir, string encoderFile)
    {
        var manifestPath = Path.Combine(packDir, ModelPackManifest.FileName);
        var manifest = ModelPackManifest.Read(manifestPath);
        if (!manifest.HasEncoder) throw new InvalidDataException($"model pack '{manifest.Name}' has no main encoder: a further encoder needs its generator");
        EncoderType type, main;
        using (var ckpt = CheckpointReader.Read(encoderFile)) type = EncoderTypes.FromOpts(ckpt.Opts, encoderFile);
        using (var ckpt = CheckpointReader.Read(Path.Combine(packDir, manifest.Encoder.File))) main = EncoderTypes.FromOpts(ckpt.Opts, manifest.Encoder.File);
        if (type == main) throw new InvalidDataException($"{encoderFile} is a {type} encoder, the type of the pack's main encoder; a pack holds one per type");

        var file = FileFor(type);
        File.Copy(encoderFile, Path.Combine(packDir, file), overwrite: true);
        var entry = manifest.Encoder with { File = file, EncoderType = type.ToString(), Sha256 = null };
        var training = manifest.Training is { } t ? JsonNode.Parse(t.GetRawText())!.AsObject() : new JsonObject();
        var run = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(encoderFile))!, RunFile);
        if (File.Exists(run)) training[$"encoder:{EncoderTypes.ShortName(type)}"] = JsonNode.Parse(File.ReadAllText(run));
        var written = ModelPackWriter.WriteManifest(packDir, manifest with
        {
            OtherEncoders = [.. (manifest.OtherEncoders ?? []).Where(e => e.File != file), entry],
            Training = JsonSerializer.SerializeToElement(training),
        });
        using (EditModels.Load(packDir)) { }   // the decoder must be the pack's generator, the keys the main encoder's
        return written;
    }
}
