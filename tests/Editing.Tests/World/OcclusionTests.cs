using Pipeline.World;
using Pipeline.World.Scenes;

namespace Pipeline.Editing.Tests.World;

public class When_an_occluder_is_in_front_of_an_edit
{
    readonly SyntheticWorld _world = new();
    const int Size = 128;

    bool[] Change(SceneSpec scene, string attribute) =>
        _world.ChangeMask(_world.Render(scene, Size), _world.Render(_world.Flip(scene, attribute), Size));

    [Fact]
    public void Should_hide_every_mouth_change_behind_a_sticker_over_the_mouth()
    {
        var bare = _world.Sample(7, 0, WorldSplit.Train);
        var sticker = new Sticker(StickerShape.Circle, X: 128, Y: 180, Size: 84, Rotation: 0, Color: new Rgb(250, 210, 30));
        var covered = bare with { Split = WorldSplit.Ood, Occluders = new OccluderList(new Occluder[] { sticker }) };
        foreach (var attribute in new[] { "smile", "mouth_open" })
        {
            Assert.True(WorldRegions.Count(Change(bare, attribute)) > 0);
            Assert.Equal(0, WorldRegions.Count(Change(covered, attribute)));
        }
    }

    [Fact]
    public void Should_exclude_occluded_pixels_from_the_change_mask_of_partly_covered_edits()
    {
        var bare = _world.Sample(7, 0, WorldSplit.Train);
        var hand = new Hand(X: 112, TipY: 168, Scale: 1, Tilt: 0, Skin: bare.Skin, Sleeve: new Rgb(40, 40, 120));
        var covered = bare with { Split = WorldSplit.Ood, Occluders = new OccluderList(new Occluder[] { hand }) };
        var occluder = WorldRegions.Erode(WorldRegions.White(_world.OccluderMask(covered, Size)), Size);
        var open = Change(bare, "smile");
        var hidden = Change(covered, "smile");
        Assert.True(Enumerable.Range(0, open.Length).Any(i => open[i] && occluder[i]), "the hand should cover part of the mouth");
        Assert.True(WorldRegions.Count(hidden) > 0, "part of the mouth should stay visible");
        Assert.True(WorldRegions.Count(hidden) < WorldRegions.Count(open));
        Assert.DoesNotContain(Enumerable.Range(0, hidden.Length), i => hidden[i] && occluder[i]);
    }

    [Fact]
    public void Should_never_report_a_change_where_an_occluder_of_a_sampled_ood_scene_covers_the_whole_pixel()
    {
        for (int i = 0; i < 12; i++)
        {
            var scene = _world.Sample(21, i, WorldSplit.Ood);
            var occluder = _world.OccluderCoverage(scene, Size).Select(c => c == byte.MaxValue).ToArray();
            Assert.True(WorldRegions.Count(occluder) > 0);
            foreach (var name in WorldAttributes.Names)
            {
                var change = Change(scene, name);
                var leak = Enumerable.Range(0, change.Length).Where(p => change[p] && occluder[p]).ToList();
                Assert.True(leak.Count == 0, $"scene {i} ({scene.Occluders}): flipping {name} changed {leak.Count} occluded pixels, first at x={leak.FirstOrDefault() % Size}, y={leak.FirstOrDefault() / Size}");
            }
        }
    }
}
