using System.CommandLine;
using System.Globalization;
using Pipeline.Editing.Training;

namespace Pipeline.Cli.Commands;

/// <summary>The options every training command shares, with a trainer's official defaults.</summary>
public sealed class TrainingArguments
{
    public TrainingArguments(TrainingOptions defaults)
    {
        Out = new Option<string>("--out") { Description = "run folder: checkpoint/, log.csv, eval.csv, samples/, run.json and the trained network (resumes from its checkpoint)", Required = true };
        Steps = new Option<int>("--steps") { Description = "total training steps", DefaultValueFactory = _ => defaults.Steps };
        Batch = new Option<int>("--batch") { Description = "batch size", DefaultValueFactory = _ => defaults.BatchSize };
        Lr = new Option<double>("--lr") { Description = "Adam learning rate (the cosine schedule's peak)", DefaultValueFactory = _ => defaults.LearningRate };
        Beta1 = new Option<double>("--beta1") { Description = "Adam beta1", DefaultValueFactory = _ => defaults.Beta1 };
        Beta2 = new Option<double>("--beta2") { Description = "Adam beta2", DefaultValueFactory = _ => defaults.Beta2 };
        Seed = new Option<long>("--seed") { Description = "seed of every random choice (batches, directions, noise, init)", DefaultValueFactory = _ => defaults.Seed };
        RestartPeriod = new Option<long?>("--restart-period") { Description = "T_0 of the cosine warm restarts (default: --steps, as the reference)" };
        MinLr = new Option<double>("--min-lr") { Description = "eta_min of the cosine schedule", DefaultValueFactory = _ => defaults.MinLearningRate };
        CheckpointEvery = new Option<int>("--checkpoint-every") { Description = "steps between checkpoints (0 = only at the end)", DefaultValueFactory = _ => defaults.CheckpointEvery };
        SampleEvery = new Option<int>("--sample-every") { Description = "steps between sample grids (0 = only at the end)", DefaultValueFactory = _ => defaults.SampleEvery };
        EvalEvery = new Option<int>("--eval-every") { Description = "steps between held-out evaluations (0 = only at the end)", DefaultValueFactory = _ => defaults.EvalEvery };
        NoResume = new Option<bool>("--no-resume") { Description = "ignore an existing checkpoint in --out and start over" };
        UpdatePack = new Option<bool>("--update-pack") { Description = "put the trained network into the model pack and refresh its manifest hashes" };
        Threads = new Option<int>("--threads") { Description = "libtorch CPU threads (0 = all cores)", DefaultValueFactory = _ => 0 };
    }

    public Option<string> Out { get; }
    public Option<int> Steps { get; }
    public Option<int> Batch { get; }
    public Option<double> Lr { get; }
    public Option<double> Beta1 { get; }
    public Option<double> Beta2 { get; }
    public Option<long> Seed { get; }
    public Option<long?> RestartPeriod { get; }
    public Option<double> MinLr { get; }
    public Option<int> CheckpointEvery { get; }
    public Option<int> SampleEvery { get; }
    public Option<int> EvalEvery { get; }
    public Option<bool> NoResume { get; }
    public Option<bool> UpdatePack { get; }
    public Option<int> Threads { get; }

    /// <summary>Adds the options to <paramref name="command"/>; <c>--update-pack</c> only to a command that updates a pack.</summary>
    public void AddTo(Command command, bool updatesPack)
    {
        foreach (var o in new Option[] { Out, Steps, Batch, Lr, Beta1, Beta2, Seed, RestartPeriod, MinLr, CheckpointEvery, SampleEvery, EvalEvery, NoResume, Threads })
            command.Options.Add(o);
        if (updatesPack) command.Options.Add(UpdatePack);
    }

    public TrainingOptions Bind(ParseResult parse)
    {
        if (parse.GetValue(Threads) > 0) TorchSharp.torch.set_num_threads(parse.GetValue(Threads));
        return new TrainingOptions
        {
            OutDir = parse.GetValue(Out)!,
            Steps = parse.GetValue(Steps),
            BatchSize = parse.GetValue(Batch),
            LearningRate = parse.GetValue(Lr),
            Beta1 = parse.GetValue(Beta1),
            Beta2 = parse.GetValue(Beta2),
            Seed = parse.GetValue(Seed),
            RestartPeriod = parse.GetValue(RestartPeriod),
            MinLearningRate = parse.GetValue(MinLr),
            CheckpointEvery = parse.GetValue(CheckpointEvery),
            SampleEvery = parse.GetValue(SampleEvery),
            EvalEvery = parse.GetValue(EvalEvery),
            Resume = !parse.GetValue(NoResume),
        };
    }

    /// <summary>"a,b,c" → names; null or empty → null (all).</summary>
    public static IReadOnlyList<string>? List(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>"4:512,8:512,…" → a channel table.</summary>
    public static IReadOnlyDictionary<int, int>? Channels(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var table = new Dictionary<int, int>();
        foreach (var entry in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split(':');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var r) || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var c) || c < 1)
                throw new FormatException($"channel table entries are RESOLUTION:CHANNELS (e.g. 4:512,8:512), got '{entry}'");
            table[r] = c;
        }
        return table;
    }

    /// <summary>"lo,hi" → a range.</summary>
    public static (double, double)? Range(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lo) || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var hi))
            throw new FormatException($"a range is LO,HI (e.g. 15,25), got '{text}'");
        return (lo, hi);
    }
}
