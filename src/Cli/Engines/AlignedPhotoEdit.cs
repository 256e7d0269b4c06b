using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Editing.Outputs;
using Pipeline.Faces;
using Pipeline.Faces.Alignment;
using Pipeline.Faces.PasteBack;

namespace Pipeline.Cli.Engines;

/// <summary>
/// <c>--align</c> around any engine. Before the edit, every photo's faces are found and aligned to the models' size
/// (<see cref="PhotoAlignment"/>) and written as face items, <c>&lt;photo&gt;/face&lt;k&gt;/aligned.png</c>; the engine
/// (in process, embedded or a coordinator) edits them as it edits any item and writes each face's folder. After it,
/// each photo's edited faces are warped back through the inverse quad transform and blended in with a feathered mask
/// (<see cref="FacePaste"/>), and the photo's folder is written (<see cref="ItemOutputFolder.WritePhoto"/>). The
/// coordinator and the workers never see a photo. A photo without a usable face, over the limits, or with a face that
/// failed gets its one-line reason; the others go on. A photo whose item.json exists is finished and skipped.
/// </summary>
public sealed class AlignedPhotoEdit(FaceFinder finder, int size, ImageLimits limits, string outDir)
{
    /// <summary>What a photo needs after the edit: its faces as item.json records them, the quads paste-back inverts, and
    /// the face items sent to the engine. The photo itself is decoded again then, not held.</summary>
    private sealed record Plan(EditItem Photo, string Sha256, PhotoFacesRecord Faces, IReadOnlyList<FaceQuad> Quads, IReadOnlyList<EditItem> FaceItems);

    public List<ItemOutcome> Run(IReadOnlyList<EditItem> photos, Func<IReadOnlyList<EditItem>, List<ItemOutcome>> editFaces, Action<ItemOutcome> onPhoto)
    {
        var outcomes = new List<ItemOutcome>();
        void Done(ItemOutcome o) { outcomes.Add(o); onPhoto(o); }

        var plans = new List<Plan>();
        foreach (var photo in photos)
        {
            if (photo.Refusal is { } refusal) { Done(new ItemOutcome(photo.Name, false, refusal, null, photo.Skipped)); continue; }
            var dir = Path.Combine(outDir, photo.Name);
            if (ItemOutputFolder.IsDone(dir)) { Done(new ItemOutcome(photo.Name, true, null, dir)); continue; }
            try
            {
                plans.Add(Prepare(photo, dir));
            }
            catch (Exception e) when (e is ImageDecodeException or IOException or ArgumentException)
            {
                Done(new ItemOutcome(photo.Name, false, ImageDecodeException.ReasonOf(e), null));
            }
        }
        if (plans.Count == 0)
            return outcomes;
        var edited = editFaces(plans.SelectMany(p => p.FaceItems).ToList()).ToDictionary(o => o.Name, StringComparer.Ordinal);
        foreach (var plan in plans)
            Done(Finish(plan, edited));
        return outcomes;
    }

    private Plan Prepare(EditItem photo, string dir)
    {
        var image = ImageReader.Read(photo.Path, limits);
        var aligned = PhotoAlignment.Align(image, finder, size, Path.GetFileName(photo.Path));
        var items = new List<EditItem>();
        for (var k = 0; k < aligned.Aligned.Count; k++)
        {
            var faceDir = Directory.CreateDirectory(Path.Combine(dir, ItemOutputFolder.FaceFolder(k))).FullName;
            var path = Path.Combine(faceDir, ItemOutputFolder.AlignedInputFile);
            ImageWriter.SavePng(aligned.Aligned[k].Image, path);
            items.Add(new EditItem($"{photo.Name}/{ItemOutputFolder.FaceFolder(k)}", path, photo.Edits));
        }
        return new Plan(photo, FileHash.Sha256(photo.Path), aligned.ToRecord(), aligned.Aligned.Select(a => a.SampledQuad).ToList(), items);
    }

    private ItemOutcome Finish(Plan plan, Dictionary<string, ItemOutcome> edited)
    {
        var failures = plan.FaceItems
            .Select((f, k) => (Face: ItemOutputFolder.FaceFolder(k), Outcome: edited.GetValueOrDefault(f.Name)))
            .Where(f => f.Outcome is not { Succeeded: true })
            .Select(f => $"{f.Face}: {f.Outcome?.Error ?? "not edited"}").ToList();
        if (failures.Count > 0)
            return new ItemOutcome(plan.Photo.Name, false, string.Join("; ", failures), null);
        var dir = Path.Combine(outDir, plan.Photo.Name);
        try
        {
            var photo = ImageReader.Read(plan.Photo.Path, limits);
            var faces = new List<FaceImages>();
            var pasted = new List<EditedFace>();
            for (var k = 0; k < plan.FaceItems.Count; k++)
            {
                var faceDir = Path.Combine(dir, ItemOutputFolder.FaceFolder(k));
                var outputs = ItemProvenance.Read(Path.Combine(faceDir, ItemOutputFolder.ProvenanceFile)).Outputs;
                var final = ImageReader.Read(Path.Combine(faceDir, outputs["final"]));
                faces.Add(new FaceImages(k, ImageReader.Read(plan.FaceItems[k].Path), ImageReader.Read(Path.Combine(faceDir, outputs["mask"])), final));
                pasted.Add(EditedFace.FromImage(plan.Quads[k], final));
            }
            var result = FacePaste.Paste(photo, pasted, new FeatherMask());
            var source = new ItemSource(plan.Photo.Name, plan.Photo.Path, plan.Sha256, plan.Photo.Edits);
            ItemOutputFolder.WritePhoto(dir, source, photo, result, plan.Faces, faces);
            return new ItemOutcome(plan.Photo.Name, true, null, dir);
        }
        catch (Exception e) when (e is ImageDecodeException or IOException or ArgumentException or KeyNotFoundException or InvalidDataException)
        {
            return new ItemOutcome(plan.Photo.Name, false, $"the faces were edited but could not be pasted back: {OneLine(e.Message)}", null);
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
