using Pipeline.Editing.Imaging;
using Pipeline.World.Rendering;
using Pipeline.World.Scenes;

namespace Pipeline.World.Dataset;

/// <summary>Writes a world to disk in the documented layout. Resumable: a scene whose files all exist is skipped
/// (every file is written to a temporary name and renamed, so an existing file is a complete one).</summary>
public sealed class DatasetWriter(SyntheticWorld world)
{
    public sealed record Summary(int Rendered, int Skipped, TimeSpan Elapsed);

    /// <param name="progress">called after each scene with (scenes done, rendered this run), from worker threads</param>
    public Summary Write(DatasetRequest request, Action<int, int>? progress = null, CancellationToken cancel = default)
    {
        Validate(request);
        var layout = new DatasetLayout(request.OutputDirectory);
        Directory.CreateDirectory(layout.Root);
        var manifest = new WorldManifest(FaceRenderer.Version, request.Seed, request.Size, request.Count,
            request.Split == WorldSplit.Ood ? "ood" : "train", WorldAttributes.Names, ChangeMask.Tolerance);
        if (File.Exists(layout.Manifest))
        {
            var existing = WorldManifest.Read(layout.Manifest);
            if (!existing.SameWorldAs(manifest))
                throw new InvalidOperationException(
                    $"{layout.Root} already holds another world (renderer {existing.Renderer}, seed {existing.Seed}, size {existing.Size}, split {existing.Split}); choose another output folder");
        }
        manifest.Write(layout.Manifest);

        var started = DateTime.UtcNow;
        int done = 0, rendered = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = request.Threads, CancellationToken = cancel };
        Parallel.For(0, request.Count, options, index =>
        {
            var scene = world.Sample(request.Seed, index, request.Split);
            bool wrote = false;
            if (!Complete(layout, scene))
            {
                WriteScene(layout, scene, request.Size);
                wrote = true;
            }
            int d = Interlocked.Increment(ref done);
            int r = wrote ? Interlocked.Increment(ref rendered) : Volatile.Read(ref rendered);
            progress?.Invoke(d, r);
        });

        LabelsCsv.Write(layout.Labels, Enumerable.Range(0, request.Count).Select(i => world.Sample(request.Seed, i, request.Split)));
        return new Summary(rendered, request.Count - rendered, DateTime.UtcNow - started);
    }

    static void Validate(DatasetRequest r)
    {
        if (r.Count < 0) throw new ArgumentException($"count must be ≥ 0, got {r.Count}");
        if (r.Size < FaceRenderer.MinSize) throw new ArgumentException($"size must be at least {FaceRenderer.MinSize} px, got {r.Size}");
        if (r.Threads < 1) throw new ArgumentException($"threads must be ≥ 1, got {r.Threads}");
        if (string.IsNullOrWhiteSpace(r.OutputDirectory)) throw new ArgumentException("output folder is empty");
    }

    static IEnumerable<string> Files(DatasetLayout layout, SceneSpec scene)
    {
        yield return layout.Image(scene.Index);
        if (scene.Split != WorldSplit.Ood) yield break;
        yield return layout.OccluderMask(scene.Index);
        foreach (var name in WorldAttributes.Names)
        {
            yield return layout.Edit(scene.Index, name);
            yield return layout.EditMask(scene.Index, name);
        }
    }

    static bool Complete(DatasetLayout layout, SceneSpec scene) => Files(layout, scene).All(File.Exists);

    /// <summary>The scene image goes last, so an interrupted scene is never taken for a complete one by a reader
    /// that only looks at images/.</summary>
    void WriteScene(DatasetLayout layout, SceneSpec scene, int size)
    {
        var image = world.Render(scene, size);
        if (scene.Split == WorldSplit.Ood)
        {
            ImageWriter.SavePng(world.OccluderMask(scene, size), layout.OccluderMask(scene.Index));
            foreach (var name in WorldAttributes.Names)
            {
                var edit = world.Render(world.Flip(scene, name), size);
                ImageWriter.SavePng(edit, layout.Edit(scene.Index, name));
                ImageWriter.SavePng(ChangeMask.ToImage(world.ChangeMask(image, edit), size, size), layout.EditMask(scene.Index, name));
            }
        }
        ImageWriter.SavePng(image, layout.Image(scene.Index));
    }
}
