using static TorchSharp.torch;

namespace Pipeline.Editing.Parity;

/// <summary>The constants of the fixture formula <c>C + A*sin((a*i + b*k) + c)</c>; they differ between fixture trees.</summary>
public sealed record FormulaConstants(double A, double B, double C);

/// <summary>How one tensor is filled: a constant offset, an amplitude, and whether the sine is taken in absolute value.</summary>
public sealed record FormulaRule(string Tag, double Offset, double Amplitude, bool Absolute = false)
{
    /// <summary>Rules tagged <c>keep:*</c> leave the constructor's value (blur kernels, ImageNet constants, counters).</summary>
    public bool Keep => Tag.StartsWith("keep:", StringComparison.Ordinal);
    public static FormulaRule KeepAs(string what) => new("keep:" + what, 0, 0);
}

/// <summary>
/// Deterministic "formula" tensors: value_i = C + A*sin((a*i + b*k) + c) in float64, cast to float32 at the end.
/// The evaluation order is fixed so that C#'s Math.Sin reproduces numpy bit for bit.
/// </summary>
public static class FormulaWeights
{
    /// <summary>Chunk of a large tensor generated at a time, so filling needs no managed copy of the whole tensor.</summary>
    const int FillChunk = 1 << 20;

    public static float[] Values(FormulaConstants f, long k, long count, FormulaRule rule)
    {
        var v = new float[count];
        Values(f, k, 0, v, rule);
        return v;
    }

    /// <summary>The values of flat indices <c>start … start + destination.Length − 1</c>.</summary>
    static void Values(FormulaConstants f, long k, long start, Span<float> destination, FormulaRule rule)
    {
        double bk = f.B * k;
        for (int j = 0; j < destination.Length; j++)
        {
            long i = start + j;
            double s = Math.Sin((f.A * i + bk) + f.C);
            if (rule.Absolute) s = Math.Abs(s);
            destination[j] = (float)(rule.Offset + rule.Amplitude * s);
        }
    }

    /// <summary>The values before the float32 cast, for inputs the reference post-processes in float64 (the edit direction).</summary>
    public static double[] ValuesFloat64(FormulaConstants f, long k, long count, FormulaRule rule)
    {
        var v = new double[count];
        double bk = f.B * k;
        for (long i = 0; i < count; i++)
        {
            double s = Math.Sin((f.A * i + bk) + f.C);
            if (rule.Absolute) s = Math.Abs(s);
            v[i] = rule.Offset + rule.Amplitude * s;
        }
        return v;
    }

    public static Tensor Tensor(FormulaConstants f, long k, long[] shape, FormulaRule rule)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        return tensor(Values(f, k, n, rule), shape);
    }

    /// <summary>An input tensor (reserved id k, A=1, C=0 unless the tree says otherwise).</summary>
    public static Tensor Input(FormulaConstants f, long k, long[] shape, double amplitude = 1.0, double offset = 0.0)
        => Tensor(f, k, shape, new FormulaRule("input", offset, amplitude));

    /// <summary>Fills every entry of a state in order; position k counts every entry, including kept ones.</summary>
    public static void Fill(IReadOnlyList<(string Name, Tensor Tensor)> officialOrder, FormulaConstants f, Func<string, long[], FormulaRule> ruleFor)
    {
        using var _ = no_grad();
        for (int k = 0; k < officialOrder.Count; k++)
        {
            var (name, t) = officialOrder[k];
            var rule = ruleFor(name, t.shape);
            if (rule.Keep) continue;
            if (t.dtype == ScalarType.Float32 && t.is_contiguous())
            {
                FillInChunks(t, f, k, rule);
                continue;
            }
            using var v = Tensor(f, k, t.shape, rule);
            t.copy_(v);
        }
    }

    /// <summary>
    /// Writes the values a chunk at a time: a whole-tensor array of a large model (the deghosting FC head alone is 75 M
    /// floats) would stay committed in the managed heap long after filling.
    /// </summary>
    static void FillInChunks(Tensor target, FormulaConstants f, long k, FormulaRule rule)
    {
        using var flat = target.view(-1);
        long n = flat.shape[0];
        var buffer = new float[Math.Min(n, FillChunk)];
        for (long start = 0; start < n; start += buffer.Length)
        {
            int length = (int)Math.Min(buffer.Length, n - start);
            Values(f, k, start, buffer.AsSpan(0, length), rule);
            using var chunk = tensor(buffer, new long[] { buffer.Length });
            using var source = chunk.narrow(0, 0, length);
            using var destination = flat.narrow(0, start, length);
            destination.copy_(source);
        }
    }
}
