using static TorchSharp.torch;

namespace Pipeline.Editing.Method;

/// <summary>Paper step 4 (Eq. 5): F = T·M + I·(1 − M) — edited pixels where the mask says the edit acts, input elsewhere.</summary>
public static class ComposeStage
{
    public static Tensor Compose(Tensor edited, Tensor input, Tensor mask) => Composition.Compose(edited, input, mask);
}
