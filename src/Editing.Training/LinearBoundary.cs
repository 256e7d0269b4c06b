using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Pipeline.Editing.Runtime;

namespace Pipeline.Editing.Training;

/// <summary>
/// An InterFaceGAN-style linear boundary in latent space: L2-regularised logistic regression of a binary label on the
/// (flattened) latent codes; the attribute direction is the boundary's unit normal, pointing toward label 1.
/// </summary>
/// <param name="Normal">the boundary's unit normal in latent units (toward label 1)</param>
/// <param name="EditVector">the unit direction that moves along the standardised normal: the normal in standardised
/// coordinates mapped back to latent units (× std). Edits along it change the latent where the data varies, not along
/// its thinnest dimensions, which the raw normal emphasises (÷ std) and the decoder barely responds to.</param>
public sealed record LinearBoundary(Tensor Normal, Tensor EditVector, double Bias, double TrainAccuracy) : IDisposable
{
    public sealed record Options
    {
        public int Iterations { get; init; } = 300;
        public double LearningRate { get; init; } = 0.05;
        public double L2 { get; init; } = 1e-3;
    }

    /// <summary>latents [N,D] (float), labels [N] in {0,1} → unit normal [D] and bias (in standardised units).</summary>
    public static LinearBoundary Fit(Tensor latents, Tensor labels, Options? options = null)
    {
        options ??= new Options();
        if (latents.dim() != 2 || labels.dim() != 1 || labels.shape[0] != latents.shape[0])
            throw new ArgumentException($"boundary fit needs latents [N,D] and labels [N], got [{string.Join(",", latents.shape)}] and [{string.Join(",", labels.shape)}]");
        using var scope = NewDisposeScope();
        var y = labels.to_type(ScalarType.Float32);
        double positives = y.sum().item<float>();
        if (positives < 1 || positives > y.shape[0] - 1) throw new ArgumentException("boundary fit needs both labels present");
        // Standardise so that one learning rate suits any latent scale; the normal is mapped back afterwards.
        var x = latents.to_type(ScalarType.Float32);
        var mean = x.mean([0]);
        using Scalar minStd = 1e-6, l2 = options.L2;
        var std = x.std(0).clamp_min(minStd);
        var z = (x - mean) / std;
        var w = new TorchSharp.Modules.Parameter(zeros(x.shape[1]));
        var b = new TorchSharp.Modules.Parameter(zeros(1));
        var opt = optim.Adam(new[] { w, b }, options.LearningRate);
        for (int i = 0; i < options.Iterations; i++)
        {
            using var step = NewDisposeScope();
            var logits = z.matmul(w).Plus(b);
            var loss = F.binary_cross_entropy_with_logits(logits, y).Plus(w.pow(Scalars.Two).sum() * l2);
            opt.zero_grad();
            loss.backward();
            opt.step();
        }
        using var _ = no_grad();
        var accuracy = (z.matmul(w).Plus(b).gt(Scalars.Zero).to_type(ScalarType.Float32) == y).to_type(ScalarType.Float32).mean().item<float>();
        // In raw latent units the boundary is (w/std)·x + const: its normal is w/std.
        var normal = w.detach() / std;
        normal = normal / normal.norm();
        var edit = w.detach() * std;
        edit = edit / edit.norm();
        return new LinearBoundary(normal.MoveToOuterDisposeScope(), edit.MoveToOuterDisposeScope(), b.item<float>(), accuracy)
        {
            _mean = mean.MoveToOuterDisposeScope(), _std = std.MoveToOuterDisposeScope(), _weights = w.detach().MoveToOuterDisposeScope(),
        };
    }

    Tensor _mean = null!, _std = null!, _weights = null!;

    /// <summary>The side of the boundary each latent [N,D] falls on (true: label 1), as the fit decides it.</summary>
    public bool[] Classify(Tensor latents)
    {
        if (latents.dim() != 2 || latents.shape[1] != _weights.shape[0])
            throw new ArgumentException($"classify needs latents [N,{_weights.shape[0]}], got [{string.Join(",", latents.shape)}]");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using Scalar bias = Bias;
        var z = (latents.to_type(ScalarType.Float32) - _mean) / _std;
        return z.matmul(_weights).add(bias, Scalars.One).gt(Scalars.Zero).data<bool>().ToArray();
    }

    /// <summary>Share of <paramref name="labels"/> that <see cref="Classify"/> gets right.</summary>
    public double Accuracy(Tensor latents, IReadOnlyList<bool> labels)
    {
        var judged = Classify(latents);
        if (judged.Length != labels.Count) throw new ArgumentException($"{judged.Length} latents but {labels.Count} labels");
        return judged.Length == 0 ? double.NaN : judged.Where((j, i) => j == labels[i]).Count() / (double)judged.Length;
    }

    public void Dispose() { Normal.Dispose(); EditVector.Dispose(); _mean?.Dispose(); _std?.Dispose(); _weights?.Dispose(); }
}
