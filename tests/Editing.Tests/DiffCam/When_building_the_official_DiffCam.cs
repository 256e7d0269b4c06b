using Pipeline.Editing.Networks.DiffCam;
using Pipeline.Editing.Parity.Fixtures;

namespace Pipeline.Editing.Tests.DiffCam;

public sealed class OfficialDiffCam : IDisposable
{
    public Networks.DiffCam.DiffCam Model { get; } = new(DiffCamConfig.Official());
    public void Dispose() => Model.Dispose();
}

public class When_building_the_official_DiffCam(OfficialDiffCam official) : IClassFixture<OfficialDiffCam>
{
    static string KeysPath => Path.Combine(FixturePaths.Parity, "da_module", "keys.json");

    [Fact]
    public void Should_list_the_checkpoint_keys_shapes_and_order_of_keys_json()
        => KeysAssert.SameKeys(official.Model, KeysPath);

    [Fact]
    public void Should_resolve_every_key_to_the_formula_rule_of_keys_json()
        => KeysAssert.SameRules(official.Model, KeysPath, DaModuleFixture.Rules(official.Model));
}
