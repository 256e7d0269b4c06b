using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Metrics.Fid;
using Pipeline.Editing.Metrics.Inception;
using Pipeline.Editing.Metrics.Lpips;
using Pipeline.Editing.Metrics.Quality;
using Pipeline.Editing.Method;
using static TorchSharp.torch;
using Pipeline.Editing.Runtime;
using TorchSharp;

namespace Pipeline.Editing.Evaluation;

/// <summary>Progress of a run: which pass, how many images of it are done.</summary>
public sealed record EvaluationProgress(string Pass, int Done, int Total);

/// <summary>
/// An evaluation run over a folder, the paper's Table 1 protocol: every image is edited once per attribute, then per
/// attribute FID (edited set vs the original set), LPIPS between input and output over the whole image and outside the
/// Diff-CAM mask, PSNR and SSIM. Images stream batch by batch: only feature sums and metric sums are kept, and they are
/// saved in <c>OUT/state/</c> so an interrupted run resumes. Outputs are quantised to 8 bits first, as a saved PNG
/// would be, so the numbers equal those of tools that read the edited images from disk.
/// </summary>
public sealed class DatasetEvaluation : IDisposable
{
    public const string RealPass = "original";
    const string StateFolder = "state";
    const string SamplesFolder = "samples";
    static readonly Scalar ByteLevels = 255.0;

    readonly EvaluationOptions _options;
    readonly IDatasetEditor _editor;
    readonly Action<string> _log;
    readonly FidInceptionV3? _inception;
    readonly Lpips? _lpips;
    readonly List<MetricAvailability> _availability = new();

    public DatasetEvaluation(EvaluationOptions options, IDatasetEditor editor, Action<string>? log = null)
    {
        if (options.Attributes.Count == 0) throw new ArgumentException("give at least one attribute to evaluate");
        if (options.BatchSize < 1) throw new ArgumentException($"batch size must be at least 1, got {options.BatchSize}");
        _options = options;
        _editor = editor;
        _log = log ?? (_ => { });
        (_inception, var fid) = LoadInception(options);
        (_lpips, var lpips) = LoadLpips(options);
        _availability.Add(fid);
        _availability.Add(lpips);
        _availability.Add(lpips.Computed ? MetricAvailability.Ok("lpips_masked") : MetricAvailability.Skipped("lpips_masked", lpips.SkipReason!));
        _availability.Add(MetricAvailability.Ok("psnr"));
        _availability.Add(MetricAvailability.Ok("ssim"));
        foreach (var a in _availability.Where(a => !a.Computed)) _log($"skipping {a.Metric}: {a.SkipReason}");
    }

    public IReadOnlyList<MetricAvailability> Availability => _availability;

    static (FidInceptionV3?, MetricAvailability) LoadInception(EvaluationOptions o)
    {
        if (o.InceptionFile is null)
            return (null, MetricAvailability.Skipped("fid", "no Inception weights given (--inception: pytorch-fid's pt_inception-2015-12-05-6726825d.pth)"));
        if (!File.Exists(o.InceptionFile))
            return (null, MetricAvailability.Skipped("fid", $"Inception weights not found: {o.InceptionFile}"));
        var model = FidInceptionV3.Load(o.InceptionFile, o.FidResize);
        return (model, MetricAvailability.Ok("fid"));
    }

    static (Lpips?, MetricAvailability) LoadLpips(EvaluationOptions o)
    {
        if (o.LpipsDir is null)
            return (null, MetricAvailability.Skipped("lpips", $"no LPIPS weights given (--lpips-dir with {o.LpipsNet.FileName()}.pth and the torchvision backbone)"));
        try
        {
            return (LpipsWeights.FromDirectory(o.LpipsDir, o.LpipsNet), MetricAvailability.Ok("lpips"));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, MetricAvailability.Skipped("lpips", e.Message));
        }
    }

    public EvaluationResult Run(Action<EvaluationProgress>? progress = null, CancellationToken cancel = default)
    {
        var sw = Stopwatch.StartNew();
        var files = ListImages(_options.InputDir);
        if (files.Count == 0) throw new ArgumentException($"no images in {_options.InputDir} (png, jpg, jpeg, webp, bmp)");
        var stateDir = Path.Combine(_options.OutDir, StateFolder);
        var state = EvaluationState.LoadOrCreate(stateDir, Fingerprint(files));
        _log($"evaluating {files.Count} image(s) × {_options.Attributes.Count} attribute(s) with {_editor.Description}");

        if (_inception is not null) RunPass(RealPass, files, null, state, stateDir, progress, cancel);
        foreach (var edit in _options.Attributes) RunPass(edit.ToString(), files, edit, state, stateDir, progress, cancel);

        var attributes = new List<AttributeMetrics>();
        using var real = _inception is null ? null : LoadStats(stateDir, state.Pass(RealPass));
        foreach (var edit in _options.Attributes)
        {
            var pass = state.Pass(edit.ToString());
            var s = pass.Sums;
            double? fid = null;
            bool usedEps = false;
            if (real is not null)
            {
                using var edited = LoadStats(stateDir, pass);
                if (real.Count >= 2 && edited.Count >= 2)
                {
                    var (mu1, s1) = real.MeanAndCovariance();
                    var (mu2, s2) = edited.MeanAndCovariance();
                    var r = FrechetDistance.Compute(mu1, s1, mu2, s2);
                    foreach (var t in new[] { mu1, s1, mu2, s2 }) t.Dispose();
                    (fid, usedEps) = (r.Value, r.UsedEpsOffset);
                }
            }
            attributes.Add(new AttributeMetrics(edit.ToString(), s.Images, fid, usedEps,
                _lpips is null || s.LpipsImages == 0 ? null : s.Lpips / s.LpipsImages,
                _lpips is null || s.LpipsMaskedImages == 0 ? null : s.LpipsMasked / s.LpipsMaskedImages,
                s.LpipsMaskedEmpty, s.Psnr / s.Images, s.Ssim / s.Images));
        }
        if (_inception is not null && files.Count < 2)
            ReplaceAvailability(MetricAvailability.Skipped("fid", $"FID needs at least 2 images per set for a covariance; the folder has {files.Count}"));

        return new EvaluationResult
        {
            InputDir = Path.GetFullPath(_options.InputDir),
            ImageCount = files.Count,
            ImageSize = _editor.ImageSize,
            Editor = _editor.Description,
            Attributes = attributes,
            Availability = _availability.ToList(),
            Samples = Samples(files),
            FidResize = _options.FidResize.ToString().ToLowerInvariant(),
            LpipsNet = _options.LpipsNet.FileName(),
            MaskThreshold = _options.MaskThreshold,
            Seconds = sw.Elapsed.TotalSeconds,
        };
    }

    void ReplaceAvailability(MetricAvailability a)
    {
        _availability.RemoveAll(x => x.Metric == a.Metric);
        _availability.Insert(0, a);
    }

    /// <summary>One pass over the images: the originals (Inception features only) or one attribute's edits.</summary>
    void RunPass(string name, IReadOnlyList<string> files, AttributeEdit? edit, EvaluationState state, string stateDir,
        Action<EvaluationProgress>? progress, CancellationToken cancel)
    {
        var pass = state.Pass(name);
        if (pass.Done >= files.Count) return;
        using var stats = _inception is null ? null : LoadStats(stateDir, pass);
        var lastSave = Stopwatch.StartNew();
        _log(pass.Done > 0 ? $"{name}: resuming at image {pass.Done + 1} of {files.Count}" : $"{name}: {files.Count} image(s)");
        try
        {
            while (pass.Done < files.Count)
            {
                cancel.ThrowIfCancellationRequested();
                int count = Math.Min(_options.BatchSize, files.Count - pass.Done);
                using (var scope = NewDisposeScope())
                using (inference_mode())
                {
                    var batchFiles = files.Skip(pass.Done).Take(count).ToList();
                    var images = cat(batchFiles.Select(LoadImage).ToArray(), 0);        // [B,3,S,S] in [−1,1]
                    if (edit is null) stats!.Add(_inception!.call(images.Plus(Scalars.One) / Scalars.Two));
                    else MeasureEdits(images, batchFiles, pass.Done, edit, pass.Sums, stats);
                }
                pass.Done += count;
                progress?.Invoke(new EvaluationProgress(name, pass.Done, files.Count));
                if (pass.Done == files.Count || lastSave.Elapsed >= _options.StateSaveInterval)
                {
                    SaveState(state, pass, name, stats, stateDir);
                    lastSave.Restart();
                }
            }
        }
        catch (OperationCanceledException)
        {
            SaveState(state, pass, name, stats, stateDir);
            _log($"{name}: stopped after {pass.Done} image(s); run again to resume");
            throw;
        }
    }

    void MeasureEdits(Tensor images, IReadOnlyList<string> batchFiles, int firstIndex, AttributeEdit edit, MetricSums sums, FeatureStatistics? stats)
    {
        using var edited = _editor.Edit(images, edit);
        var output = Quantise(edited.Output);                                   // [B,3,S,S] in [−1,1], 8-bit levels
        var in01 = images.Plus(Scalars.One) / Scalars.Two;
        var out01 = output.Plus(Scalars.One) / Scalars.Two;
        stats?.Add(_inception!.call(out01));

        var psnr = ImageQuality.Psnr(in01, out01);
        var ssim = ImageQuality.Ssim(in01, out01);
        sums.Psnr += psnr.sum().item<double>();
        sums.Ssim += ssim.sum().item<double>();
        sums.Images += images.shape[0];

        if (_lpips is not null)
        {
            using var whole = _lpips.Compare(images, output, spatial: false);
            sums.Lpips += whole.Value.to_type(ScalarType.Float64).sum().item<double>();
            sums.LpipsImages += images.shape[0];
            using var map = _lpips.Compare(images, output, spatial: true);
            using Scalar threshold = _options.MaskThreshold;
            var outside = (edited.Mask < threshold).to_type(ScalarType.Float64);   // [B,1,S,S]
            var pixels = outside.sum([1, 2, 3]);
            var masked = (map.Value.to_type(ScalarType.Float64) * outside).sum([1, 2, 3]);
            for (int i = 0; i < images.shape[0]; i++)
            {
                double n = pixels[i].item<double>();
                if (n == 0) { sums.LpipsMaskedEmpty++; continue; }
                sums.LpipsMasked += masked[i].item<double>() / n;
                sums.LpipsMaskedImages++;
            }
        }
        SaveSamples(images, output, edited.Mask, batchFiles, firstIndex, edit);
    }

    void SaveSamples(Tensor images, Tensor output, Tensor mask, IReadOnlyList<string> batchFiles, int firstIndex, AttributeEdit edit)
    {
        for (int i = 0; i < batchFiles.Count && firstIndex + i < _options.Samples; i++)
        {
            var (input, maskFile, outputFile) = SampleFiles(batchFiles[i], edit.ToString());
            var inputPath = Path.Combine(_options.OutDir, input);
            if (!File.Exists(inputPath)) ImageWriter.SavePng(RgbImage.FromTensor(images[i]), inputPath);
            ImageWriter.SavePng(RgbImage.FromMask(mask[i]), Path.Combine(_options.OutDir, maskFile));
            ImageWriter.SavePng(RgbImage.FromTensor(output[i]), Path.Combine(_options.OutDir, outputFile));
        }
    }

    IReadOnlyList<SampleImages> Samples(IReadOnlyList<string> files) =>
        _options.Attributes.SelectMany(e => files.Take(_options.Samples).Select(f =>
        {
            var (input, mask, output) = SampleFiles(f, e.ToString());
            return new SampleImages(e.ToString(), Path.GetFileNameWithoutExtension(f), input, mask, output);
        })).Where(s => File.Exists(Path.Combine(_options.OutDir, s.Output))).ToList();

    static (string Input, string Mask, string Output) SampleFiles(string file, string attribute)
    {
        var item = Safe(Path.GetFileNameWithoutExtension(file));
        var attr = Safe(attribute);
        return ($"{SamplesFolder}/{item}_input.png", $"{SamplesFolder}/{attr}/{item}_mask.png", $"{SamplesFolder}/{attr}/{item}_output.png");
    }

    static string Safe(string s) => new(s.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '+' ? c : '_').ToArray());

    static Tensor Quantise(Tensor x) => (x.clamp(Scalars.MinusOne, Scalars.One).Plus(Scalars.One) / Scalars.Two * ByteLevels).round() / ByteLevels * Scalars.Two - Scalars.One;

    Tensor LoadImage(string path)
    {
        var image = ImageReader.Read(path);
        using var raw = image.ToTensor();
        return SizePolicy.Fit(raw, _editor.ImageSize, _options.SizeMode, Path.GetFileName(path));
    }

    FeatureStatistics LoadStats(string stateDir, PassState pass) =>
        pass.StatsFile is not null ? FeatureStatistics.Load(Path.Combine(stateDir, pass.StatsFile)) : new FeatureStatistics(FidInceptionV3.Pool3Dims);

    static void SaveState(EvaluationState state, PassState pass, string name, FeatureStatistics? stats, string stateDir)
    {
        Directory.CreateDirectory(stateDir);
        var previous = pass.StatsFile;
        if (stats is not null)
        {
            pass.StatsFile = $"{Safe(name)}.stats.{pass.Done}.safetensors";
            stats.Save(Path.Combine(stateDir, pass.StatsFile));
        }
        state.Save(stateDir);
        if (previous is not null && previous != pass.StatsFile) File.Delete(Path.Combine(stateDir, previous));
    }

    string Fingerprint(IReadOnlyList<string> files)
    {
        var text = new StringBuilder();
        foreach (var f in files) text.Append(Path.GetFileName(f)).Append('|').Append(new FileInfo(f).Length).Append('\n');
        text.Append($"size={_editor.ImageSize};fid={_inception is not null}:{_options.FidResize};lpips={(_lpips is null ? "-" : _options.LpipsNet.FileName())};");
        text.Append($"mask<{_options.MaskThreshold};sizemode={_options.SizeMode};editor={_editor.Description}");
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))).ToLowerInvariant();
    }

    public static List<string> ListImages(string dir)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"input folder not found: {dir}");
        string[] extensions = [".png", ".jpg", ".jpeg", ".webp", ".bmp"];
        return Directory.EnumerateFiles(dir).Where(f => extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .OrderBy(f => f, StringComparer.Ordinal).ToList();
    }

    public void Dispose()
    {
        _inception?.Dispose();
        _lpips?.Dispose();
    }
}
