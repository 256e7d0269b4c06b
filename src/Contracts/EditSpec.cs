namespace Pipeline.Contracts;

/// <summary>One edit of the chain T_1..T_r: a latent direction by name and how far to move along it.</summary>
public sealed record EditSpec(string Attribute, double Strength);
