namespace Pipeline.Editing.Parity.Fixtures;

/// <summary>Required entries of a folder's <c>run_configs</c>: a missing one is a broken fixture tree, not a default.</summary>
internal static class RunConfig
{
    public static int Int(FixtureContext ctx, string key) =>
        ctx.RunConfig[key]?.GetValue<int>() ?? throw Missing(ctx, key);

    public static double Double(FixtureContext ctx, string key) =>
        ctx.RunConfig[key]?.GetValue<double>() ?? throw Missing(ctx, key);

    static InvalidDataException Missing(FixtureContext ctx, string key) =>
        new($"formula.json run_configs.{ctx.Name} has no '{key}'");
}
