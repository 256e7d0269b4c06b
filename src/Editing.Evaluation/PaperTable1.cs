namespace Pipeline.Editing.Evaluation;

/// <summary>One printed row of the paper's Table 1 (FID ↓, LPIPS ↓ on CelebA-HQ; * = with the paper's inversion).</summary>
public sealed record PaperRow(string Method, double Fid, double Lpips);

/// <summary>Song et al., ECCV 2022, Table 1, as printed: the numbers a run is shown beside.</summary>
public static class PaperTable1
{
    public static IReadOnlyList<PaperRow> Rows { get; } =
    [
        new("StarGAN", 30.98, 0.208),
        new("AttGAN", 17.96, 0.107),
        new("STGAN", 20.97, 0.178),
        new("StarGAN*", 28.52, 0.138),
        new("AttGAN*", 15.72, 0.099),
        new("Song et al. (paper)", 13.76, 0.094),
    ];
}
