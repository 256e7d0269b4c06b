namespace Pipeline.Contracts.Api;

/// <summary>Mean and median of one timing figure over items, in milliseconds.</summary>
public sealed record TimingFigure(double MeanMs, double MedianMs);
