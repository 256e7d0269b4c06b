using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.Psp;

/// <summary>
/// The intermediate maps of one <see cref="GradualStyleEncoder"/> pass: the input-layer output, the body taps
/// c1 (finest) … c3 (coarsest), the feature pyramid p2, p1, and the W+ codes <c>[B,n_styles,style_dim]</c>.
/// </summary>
public sealed record GradualStyleFeatures(Tensor InputLayer, Tensor C1, Tensor C2, Tensor C3, Tensor P2, Tensor P1, Tensor Codes) : IDisposable
{
    public void Dispose()
    {
        InputLayer.Dispose();
        C1.Dispose();
        C2.Dispose();
        C3.Dispose();
        P2.Dispose();
        P1.Dispose();
        Codes.Dispose();
    }
}
