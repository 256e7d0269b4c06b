using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Editing.Networks.StyleGan2;

/// <summary>
/// The generator's stored per-layer noise maps, persistent buffers <c>noise_0…noise_{L−1}</c> of shape
/// <c>[1,1,r,r]</c> (rosinality's <c>self.noises</c>, a bare module holding only buffers).
/// </summary>
public sealed class NoiseBuffers : nn.Module
{
    public NoiseBuffers(int numLayers) : base("noises")
    {
        Count = numLayers;
        for (int j = 0; j < numLayers; j++)
        {
            int r = StyleGan2Config.NoiseResolution(j);
            register_buffer(Name(j), randn(1, 1, r, r));
        }
    }

    public static string Name(int layer) => $"noise_{layer}";

    public int Count { get; }

    /// <summary>The live buffer of layer j (after <c>to(device)</c> or a checkpoint load it is the new tensor).</summary>
    public Tensor this[int layer] => get_buffer(Name(layer)) ?? throw new ArgumentOutOfRangeException(nameof(layer), layer, $"there are {Count} noise layers");

    public IReadOnlyList<Tensor> All => Enumerable.Range(0, Count).Select(j => this[j]).ToList();
}
