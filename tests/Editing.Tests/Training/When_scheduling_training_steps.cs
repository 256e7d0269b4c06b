using Pipeline.Editing.Training;

namespace Pipeline.Editing.Tests.Training;

public class When_scheduling_training_steps
{
    [Fact]
    public void Should_anneal_the_learning_rate_on_a_cosine_and_restart_every_period()
    {
        var s = new CosineWarmRestarts(1e-4, Period: 10, MinLearningRate: 1e-7);
        Assert.Equal(1e-4, s.At(1), 15);
        Assert.Equal((1e-4 + 1e-7) / 2, s.At(6), 15);
        for (long step = 2; step <= 10; step++) Assert.True(s.At(step) < s.At(step - 1));
        Assert.Equal(s.At(1), s.At(11), 15);
        Assert.Equal(s.At(4), s.At(24), 15);
        Assert.Throws<ArgumentOutOfRangeException>(() => s.At(0));
    }

    [Fact]
    public void Should_cover_each_epoch_once_in_full_batches_and_repeat_the_order_for_the_same_seed()
    {
        var order = new BatchOrder(count: 10, batch: 3, shuffle: true, seed: 7);
        Assert.Equal(3, order.BatchesPerEpoch);
        var epoch1 = Enumerable.Range(1, 3).SelectMany(s => order.At(s)).ToList();
        var epoch2 = Enumerable.Range(4, 3).SelectMany(s => order.At(s)).ToList();
        Assert.Equal(9, epoch1.Distinct().Count());
        Assert.Equal(9, epoch2.Distinct().Count());
        Assert.NotEqual(epoch1, epoch2);
        Assert.Equal(epoch2, Enumerable.Range(4, 3).SelectMany(s => new BatchOrder(10, 3, true, 7).At(s)));
        Assert.Equal(new[] { 3, 4, 5 }, new BatchOrder(10, 3, shuffle: false, seed: 7).At(5));
        Assert.Throws<ArgumentException>(() => new BatchOrder(2, 3, false, 0));
    }
}
