namespace Pipeline.Editing.Parity;

/// <summary>
/// One fixture folder kind (e.g. <c>stylegan2_generator</c>): builds the network from the folder's run configuration,
/// fills it with formula weights, runs it on the formula or stored inputs, and reports every comparison to the context.
/// Implementations are discovered by reflection, so adding a folder kind needs no registration elsewhere.
/// </summary>
public interface IParityFixture
{
    /// <summary>The folder name this fixture handles.</summary>
    string Folder { get; }

    void Run(FixtureContext ctx);
}
