using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Training;

/// <summary>
/// pSp's <c>latent_avg</c> as a module with one buffer, so that training checkpoints carry it beside the networks
/// (in the pSp container it is a separate entry, outside the state dict).
/// </summary>
public sealed class LatentAverage : nn.Module
{
    public LatentAverage(Tensor value) : base(nameof(LatentAverage))
    {
        register_buffer("latent_avg", value.detach().to_type(ScalarType.Float32).clone());
        RegisterComponents();
    }

    public Tensor Value => get_buffer("latent_avg")!;
}
