using Pipeline.World;
using Pipeline.World.Scenes;

namespace Pipeline.Editing.Tests.World;

public class When_rendering_scenes_from_a_seed
{
    readonly SyntheticWorld _world = new();

    [Fact]
    public void Should_give_identical_bytes_for_the_same_seed_and_index()
    {
        foreach (var split in new[] { WorldSplit.Train, WorldSplit.Ood })
            for (int i = 0; i < 4; i++)
            {
                var a = _world.Render(_world.Sample(11, i, split), 96);
                var b = _world.Render(new SyntheticWorld().Sample(11, i, split), 96);
                Assert.Equal(a.Rgb, b.Rgb);
            }
    }

    [Fact]
    public void Should_give_different_scenes_for_another_seed_or_index()
    {
        var a = _world.Render(_world.Sample(11, 0, WorldSplit.Train), 64);
        var otherSeed = _world.Render(_world.Sample(12, 0, WorldSplit.Train), 64);
        var otherIndex = _world.Render(_world.Sample(11, 1, WorldSplit.Train), 64);
        Assert.NotEqual(a.Rgb, otherSeed.Rgb);
        Assert.NotEqual(a.Rgb, otherIndex.Rgb);
        var specs = Enumerable.Range(0, 50).Select(i => _world.Sample(3, i, WorldSplit.Train)).ToList();
        Assert.Equal(50, specs.Distinct().Count());
    }

    [Fact]
    public void Should_render_the_same_bytes_from_parallel_threads()
    {
        var scenes = Enumerable.Range(0, 16).Select(i => _world.Sample(5, i, WorldSplit.Ood)).ToArray();
        var sequential = scenes.Select(s => _world.Render(s, 64).Rgb).ToArray();
        var parallel = new byte[scenes.Length][];
        Parallel.For(0, scenes.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = _world.Render(scenes[i], 64).Rgb);
        for (int i = 0; i < scenes.Length; i++) Assert.Equal(sequential[i], parallel[i]);
    }

    [Fact]
    public void Should_show_the_face_in_the_middle_on_a_background_at_the_corners()
    {
        var scene = _world.Sample(2, 0, WorldSplit.Train);
        var image = _world.Render(scene, 128);
        byte[] Px(int x, int y) => image.Rgb.AsSpan(3 * (y * 128 + x), 3).ToArray();
        // Between the eyes, above the nose: bare skin in every scene.
        Assert.Equal(new[] { scene.Skin.R, scene.Skin.G, scene.Skin.B }, Px(64, 56));
        Assert.NotEqual(Px(64, 56), Px(2, 2));
    }

    [Fact]
    public void Should_refuse_sizes_below_the_minimum_and_negative_indices()
    {
        Assert.Throws<ArgumentException>(() => _world.Render(_world.Sample(0, 0, WorldSplit.Train), 32));
        Assert.Throws<ArgumentException>(() => _world.Sample(0, -1, WorldSplit.Train));
    }
}
