namespace Pipeline.Contracts.Api;

/// <summary>Names of the 8-bit PNG renders the stages store next to their float outputs (<see cref="ItemOutputs.Pngs"/>,
/// <c>GET /jobs/{id}/items/{index}/png/{role}</c>): the fitted input, the inversion, each edited image, the mask, the
/// coarse composite and the final image.</summary>
public static class PngRoles
{
    public const string Input = "input";
    public const string Inversion = "inversion";
    public const string Mask = "mask";
    public const string Coarse = "coarse";
    public const string Final = "final";

    /// <summary>The edited image of edit <paramref name="step"/> (1-based, in chain order).</summary>
    public static string Edited(int step) => $"edited-{step}";
}
