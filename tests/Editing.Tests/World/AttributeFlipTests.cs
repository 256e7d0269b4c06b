using Pipeline.World;
using Pipeline.World.Scenes;

namespace Pipeline.Editing.Tests.World;

public class When_flipping_an_attribute
{
    readonly SyntheticWorld _world = new();
    const int Size = 128;
    /// <summary>0.4 % of a 128 px image: the weakest attribute (mouth open) changes about twice that in every scene.</summary>
    const int MinChangedPixels = 64;

    [Fact]
    public void Should_change_pixels_for_every_attribute_only_inside_its_region()
    {
        for (int i = 0; i < 12; i++)
        {
            var scene = _world.Sample(7, i, WorldSplit.Train);
            var image = _world.Render(scene, Size);
            foreach (var attribute in WorldAttributes.All)
            {
                var mask = _world.ChangeMask(image, _world.Render(_world.Flip(scene, attribute.Name), Size));
                Assert.True(WorldRegions.Count(mask) >= MinChangedPixels, $"scene {i}: flipping {attribute.Name} changed {WorldRegions.Count(mask)} pixels");
                Assert.Equal(0, WorldRegions.Outside(mask, Size, WorldRegions.Boxes[attribute.Name]));
            }
        }
    }

    [Fact]
    public void Should_toggle_exactly_that_label()
    {
        var scene = _world.Sample(7, 3, WorldSplit.Ood);
        var before = _world.Labels(scene);
        for (int a = 0; a < WorldAttributes.All.Count; a++)
        {
            var after = _world.Labels(_world.Flip(scene, WorldAttributes.All[a].Name));
            for (int k = 0; k < before.Length; k++) Assert.Equal(k == a ? !before[k] : before[k], after[k]);
        }
    }

    [Fact]
    public void Should_return_the_original_scene_when_flipped_twice()
    {
        var scene = _world.Sample(8, 1, WorldSplit.Ood);
        var image = _world.Render(scene, 64);
        foreach (var name in WorldAttributes.Names)
        {
            var twice = _world.Flip(_world.Flip(scene, name), name);
            Assert.Equal(scene, twice);
            Assert.Equal(image.Rgb, _world.Render(twice, 64).Rgb);
        }
    }

    [Fact]
    public void Should_refuse_an_unknown_attribute_and_name_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => _world.Flip(_world.Sample(0, 0, WorldSplit.Train), "hat"));
        Assert.Contains("eyeglasses", e.Message);
    }
}
