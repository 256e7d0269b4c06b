using Pipeline.Editing.Imaging;
using Pipeline.Editing.Method;
using Pipeline.Editing.Training;
using Pipeline.World.Scenes;
using static TorchSharp.torch;
using Pipeline.Editing.Runtime;
using TorchSharp;

namespace Pipeline.World.Evaluation;

/// <summary>
/// The synthetic quality benchmark: N <c>ood</c> scenes from a seed; for every attribute the pack can edit, each scene is
/// edited toward its flipped state (+1 where the attribute is off, −1 where it is on) and compared with the true edited
/// scene and the true change mask. The non-edit region is the complement of the true mask dilated by
/// <see cref="DilationRadius"/> (antialiased edges and the soft rim of the blend are not held against the method).
/// Grad-CAM of the world classifier on the edited image T is the baseline mask (paper Fig. 4). The in-domain inversion
/// PSNR is measured on N <c>train</c> scenes of the same seed.
/// </summary>
public sealed class SyntheticBenchmark(EditModels models, AttributeClassifier classifier, MethodOptions options)
{
    /// <summary>Dilation of the true change mask before taking its complement: 1/32 of the image side, at least 1 px.</summary>
    public int DilationRadius => Math.Max(1, models.ImageSize / 32);

    readonly SyntheticWorld _world = new();

    /// <param name="only">the attributes to score (null: every one the pack can edit)</param>
    public BenchmarkReport Run(int count, int seed, Action<string>? progress = null, IReadOnlyCollection<string>? only = null)
    {
        if (count < 1) throw new ArgumentException($"benchmark count must be positive, got {count}");
        progress ??= _ => { };
        int size = models.ImageSize;
        var method = new EditMethod(models, options);
        var scenes = Enumerable.Range(0, count).Select(i => _world.Sample(seed, i, WorldSplit.Ood)).ToList();
        var inputs = scenes.Select(s => _world.Render(s, size)).ToList();
        if (only?.FirstOrDefault(a => !models.Directions.ContainsKey(a) || !WorldAttributes.Names.Contains(a)) is { } missing)
            throw new ArgumentException($"cannot score '{missing}': it must be a world attribute the pack has a direction for ({string.Join(", ", WorldAttributes.Names.Where(models.Directions.ContainsKey))})");
        var attributes = WorldAttributes.All.Where(a => models.Directions.ContainsKey(a.Name) && (only is null || only.Contains(a.Name))).ToList();
        if (attributes.Count == 0) throw new ArgumentException($"the model pack edits none of the world's attributes ({string.Join(", ", WorldAttributes.Names)})");

        var results = new Dictionary<string, AttributeScores>();
        foreach (var attribute in attributes)
        {
            int classIndex = classifier.Config.Attributes.IndexOf(attribute.Name);
            if (classIndex < 0) throw new ArgumentException($"the world classifier does not judge '{attribute.Name}'");
            var acc = new Dictionary<string, List<double>>();
            foreach (var k in AttributeScores.Keys) acc[k] = new();
            foreach (var k in SuccessBySign.Signs.SelectMany(sign => SuccessBySign.SuccessKeys.Select(key => SignedKey(key, sign)))) acc[k] = new();
            var signCounts = SuccessBySign.Signs.ToDictionary(sign => sign, _ => 0);
            for (int start = 0; start < count; start += options.BatchSize)
            {
                var idx = Enumerable.Range(start, Math.Min(options.BatchSize, count - start)).ToList();
                foreach (var sign in new[] { +1, -1 })
                {
                    var group = idx.Where(i => (attribute.Get(scenes[i]) ? -1 : +1) == sign).ToList();
                    if (group.Count == 0) continue;
                    Score(method, attribute.Name, classIndex, sign, group.Select(i => (scenes[i], inputs[i])).ToList(), acc);
                    signCounts[SuccessBySign.SignOf(sign)] += group.Count;
                }
            }
            results[attribute.Name] = AttributeScores.FromValues(AttributeScores.Keys.Select(k => BenchmarkMetrics.Mean(acc[k])).ToArray()) with
            {
                BySign = SuccessBySign.Signs.ToDictionary(sign => sign, sign => SuccessBySign.FromValues(signCounts[sign],
                    SuccessBySign.SuccessKeys.Select(key => BenchmarkMetrics.Mean(acc[SignedKey(key, sign)])).ToArray())),
            };
            progress($"{attribute.Name}: done ({count} scenes)");
        }
        var inversion = InDomainInversionPsnr(method, count, seed, size);
        progress("in-domain inversion: done");
        return new BenchmarkReport(count, seed, results, AttributeScores.Mean(results.Values), inversion);
    }

    void Score(EditMethod method, string attribute, int classIndex, int sign, List<(SceneSpec Scene, RgbImage Input)> items, Dictionary<string, List<double>> acc)
    {
        using var scope = NewDisposeScope();
        int size = models.ImageSize;
        var truths = items.Select(it => _world.Render(_world.Flip(it.Scene, attribute), size)).ToList();
        var input = cat(items.Select(it => it.Input.ToTensor()).ToArray(), 0);
        var truth = cat(truths.Select(t => t.ToTensor()).ToArray(), 0);
        var masks = items.Select((it, k) => _world.ChangeMask(it.Input, truths[k])).ToList();
        var trueMask = stack(masks.Select(m => tensor(m.Select(b => b ? 1f : 0f).ToArray(), new long[] { 1, size, size })).ToArray(), 0);   // [B,1,S,S]
        var nonEdit = BenchmarkMetrics.Dilate(trueMask, DilationRadius).OneMinus();

        using var result = method.Run(input, new[] { new AttributeEdit(attribute, sign) });
        var edited = result.Edited[^1];
        var labels = items.Select(it => WorldAttributes.Find(attribute).Get(it.Scene)).ToArray();
        Tensor gradCam;
        using (inference_mode(false))
        {
            using (no_grad())
            {
                void Judge(string key, Tensor image)
                {
                    var judged = classifier.call(image.clone())[.., classIndex].gt(Scalars.Zero).data<bool>().ToArray();
                    var flipped = judged.Select((j, k) => j != labels[k] ? 1.0 : 0.0).ToList();
                    acc[key].AddRange(flipped);
                    acc[SignedKey(key, SuccessBySign.SignOf(sign))].AddRange(flipped);
                }
                Judge("edit_success", result.Final);
                Judge("edit_success_coarse", result.Coarse);
                Judge("edit_success_edited_inversion", edited);
                Judge("edit_success_true", truth);
            }
            using Scalar target = (float)sign;
            gradCam = classifier.GradCam(edited.clone(), classIndex, full(items.Count, target));
        }
        acc["mask_iou_diffcam"].AddRange(BenchmarkMetrics.Iou(result.Mask, trueMask));
        acc["mask_iou_gradcam"].AddRange(BenchmarkMetrics.Iou(gradCam, trueMask));
        acc["mask_auc_diffcam"].AddRange(BenchmarkMetrics.Auc(result.Mask, trueMask));
        acc["mask_auc_gradcam"].AddRange(BenchmarkMetrics.Auc(gradCam, trueMask));
        acc["psnr_nonedit_final"].AddRange(BenchmarkMetrics.Psnr(result.Final, input, nonEdit));
        acc["psnr_nonedit_coarse"].AddRange(BenchmarkMetrics.Psnr(result.Coarse, input, nonEdit));
        acc["psnr_nonedit_edited_inversion"].AddRange(BenchmarkMetrics.Psnr(edited, input, nonEdit));
        acc["psnr_edit_final_vs_true"].AddRange(BenchmarkMetrics.Psnr(result.Final, truth, trueMask));
        acc["psnr_edit_coarse_vs_true"].AddRange(BenchmarkMetrics.Psnr(result.Coarse, truth, trueMask));
    }

    static string SignedKey(string key, string sign) => $"{key}/{sign}";

    double InDomainInversionPsnr(EditMethod method, int count, int seed, int size)
    {
        var psnr = new List<double>();
        for (int start = 0; start < count; start += options.BatchSize)
        {
            using var scope = NewDisposeScope();
            using var _ = inference_mode();
            var images = Enumerable.Range(start, Math.Min(options.BatchSize, count - start))
                .Select(i => _world.Render(_world.Sample(seed, i, WorldSplit.Train), size).ToTensor()).ToArray();
            var x = cat(images, 0);
            using var inv = method.Invert.Invert(x);
            psnr.AddRange(BenchmarkMetrics.Psnr(inv.Image, x, ones(x.shape[0], 1, size, size)));
        }
        return BenchmarkMetrics.Mean(psnr);
    }
}
