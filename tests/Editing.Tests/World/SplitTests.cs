using Pipeline.World;
using Pipeline.World.Scenes;

namespace Pipeline.Editing.Tests.World;

public class When_sampling_the_train_and_ood_splits
{
    readonly SyntheticWorld _world = new();
    const int Scenes = 200;

    [Fact]
    public void Should_put_nothing_in_front_of_train_faces_and_keep_their_backgrounds_smooth()
    {
        for (int i = 0; i < Scenes; i++)
        {
            var s = _world.Sample(4, i, WorldSplit.Train);
            Assert.Empty(s.Occluders);
            Assert.Equal(BackgroundPattern.Gradient, s.Background.Pattern);
        }
        Assert.All(Enumerable.Range(0, 8), i => Assert.DoesNotContain(_world.OccluderMask(_world.Sample(4, i, WorldSplit.Train), 64).Rgb, b => b != 0));
    }

    [Fact]
    public void Should_give_every_ood_scene_one_or_two_visible_occluders_and_use_every_kind()
    {
        var kinds = new HashSet<string>();
        var patterns = new HashSet<BackgroundPattern>();
        for (int i = 0; i < Scenes; i++)
        {
            var s = _world.Sample(4, i, WorldSplit.Ood);
            Assert.InRange(s.Occluders.Count, 1, 2);
            foreach (var o in s.Occluders) kinds.Add(o.Kind);
            patterns.Add(s.Background.Pattern);
            if (i < 20) Assert.Contains(_world.OccluderMask(s, 64).Rgb, b => b == 255);
        }
        Assert.Equal(new[] { "hand", "hat", "microphone", "sticker", "text" }, kinds.Order());
        Assert.Equal(Enum.GetValues<BackgroundPattern>().Length, patterns.Count);
    }

    [Fact]
    public void Should_draw_the_same_face_in_both_splits()
    {
        for (int i = 0; i < 20; i++)
        {
            var train = _world.Sample(9, i, WorldSplit.Train);
            var ood = _world.Sample(9, i, WorldSplit.Ood);
            Assert.Equal(train, ood with { Split = WorldSplit.Train, Occluders = OccluderList.None, Background = train.Background });
        }
    }

    [Fact]
    public void Should_keep_every_attribute_in_both_states_across_scenes()
    {
        var labels = Enumerable.Range(0, Scenes).Select(i => _world.Labels(_world.Sample(1, i, WorldSplit.Train))).ToList();
        for (int a = 0; a < WorldAttributes.All.Count; a++)
        {
            double rate = labels.Average(l => l[a] ? 1.0 : 0.0);
            Assert.InRange(rate, 0.15, 0.85);
        }
    }
}
