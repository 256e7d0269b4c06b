using Pipeline.Editing.Method;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Method;

public class When_composing_the_edit
{
    [Fact]
    public void Should_take_the_edit_where_the_mask_is_one_and_the_original_where_it_is_zero()
    {
        manual_seed(10);
        var edited = rand(2, 3, 8, 8);
        var original = rand(2, 3, 8, 8);
        Assert.True(Composition.Compose(edited, original, ones(2, 1, 8, 8)).equal(edited).all().item<bool>());
        Assert.True(Composition.Compose(edited, original, zeros(2, 1, 8, 8)).equal(original).all().item<bool>());
        var half = Composition.Compose(edited, original, full(2, 1, 8, 8, 0.5f));
        Assert.True(half.allclose((edited + original) / 2));
    }

    [Fact]
    public void Should_fold_the_mask_to_at_most_one_half()
    {
        manual_seed(11);
        var mask = rand(1, 1, 16, 16);
        var folded = Composition.Fold(mask);
        Assert.True((folded <= Composition.FoldThreshold).all().item<bool>());
        var high = mask > Composition.FoldThreshold;
        Assert.True(folded.masked_select(high).equal((1 - mask).masked_select(high)).all().item<bool>());
        Assert.True(folded.masked_select(high.logical_not()).equal(mask.masked_select(high.logical_not())).all().item<bool>());
    }

    [Fact]
    public void Should_area_downsample_by_block_means_and_adaptively_otherwise()
    {
        var x = arange(64, dtype: ScalarType.Float32).reshape(1, 1, 8, 8);
        var blocks = Composition.AreaDownsample(x, 2);
        Assert.Equal((0 + 1 + 2 + 3 + 8 + 9 + 10 + 11 + 16 + 17 + 18 + 19 + 24 + 25 + 26 + 27) / 16f, blocks[0, 0, 0, 0].item<float>());
        var uneven = Composition.AreaDownsample(x, 3);
        Assert.True(uneven.allclose(nn.functional.adaptive_avg_pool2d(x, [3, 3])));
        Assert.True(Composition.FacePool(zeros(1, 3, 1024, 1024)).shape.SequenceEqual(new long[] { 1, 3, Composition.FacePoolSize, Composition.FacePoolSize }));
    }

    [Fact]
    public void Should_commute_folding_with_nearest_upsampling()
    {
        manual_seed(12);
        var mask = rand(1, 1, 8, 8);
        var foldThenUp = Composition.UpsampleMaskNearest(Composition.Fold(mask), 32, 32);
        var upThenFold = Composition.Fold(Composition.UpsampleMaskNearest(mask, 32, 32));
        Assert.True(foldThenUp.equal(upThenFold).all().item<bool>());
    }
}
