namespace Pipeline.Editing.Method;

/// <summary>How the Diff-CAM channel weights β are obtained.</summary>
public enum DiffCamWeighting
{
    /// <summary>β = fc.weight[t] / (h·w): exact, since only avgpool and fc follow layer H (plain CAM).</summary>
    ClosedForm,

    /// <summary>β = spatial mean of d logit_t / dH by autograd, as the official Grad-CAM hook computes it.</summary>
    Autograd,
}
