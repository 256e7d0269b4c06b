using OptimizerHelper = TorchSharp.Modules.OptimizerHelper;

namespace Pipeline.Editing.Training;

/// <summary>
/// PyTorch's <c>CosineAnnealingWarmRestarts(T_0, T_mult=1, eta_min)</c> stepped once per iteration, as both official
/// trainers use it: iteration i (0-based) runs at η_min + (η_0 − η_min)·(1 + cos(π·(i mod T_0)/T_0))/2. TorchSharp has
/// no such scheduler; being a function of the step alone, it needs no state in a checkpoint.
/// </summary>
public sealed record CosineWarmRestarts(double BaseLearningRate, long Period, double MinLearningRate = CosineWarmRestarts.OfficialMinLearningRate)
{
    /// <summary>eta_min of both official trainers.</summary>
    public const double OfficialMinLearningRate = 1e-7;

    /// <summary>The learning rate of 1-based training step <paramref name="step"/>.</summary>
    public double At(long step)
    {
        if (Period < 1) throw new ArgumentException($"the cosine restart period must be at least 1 step, got {Period}");
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step), step, "training steps count from 1");
        double phase = (double)((step - 1) % Period) / Period;
        return MinLearningRate + (BaseLearningRate - MinLearningRate) * (1 + Math.Cos(Math.PI * phase)) / 2;
    }

    /// <summary>Sets every parameter group of <paramref name="optimizer"/> to the rate of <paramref name="step"/>; returns it.</summary>
    public double Apply(OptimizerHelper optimizer, long step)
    {
        double lr = At(step);
        foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
        return lr;
    }
}
