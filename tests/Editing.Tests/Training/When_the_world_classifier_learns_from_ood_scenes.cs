using System.CommandLine;
using Pipeline.Cli.Commands;
using Pipeline.Editing.Training;
using Pipeline.World;
using Pipeline.World.Dataset;
using Pipeline.World.Scenes;
using Pipeline.World.Training;
using Xunit;
using static TorchSharp.torch;

namespace Pipeline.Editing.Tests.Training;

/// <summary>The benchmark's judge may learn from an ood world; the pack's networks may not.</summary>
public class When_the_world_classifier_learns_from_ood_scenes : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("judge-data-").FullName;
    public void Dispose() => Directory.Delete(_root, recursive: true);

    static LabelledImageSet Set(int count, int firstValue, int attributes = 2)
    {
        using var scope = NewDisposeScope();
        var pixels = arange(firstValue, firstValue + count, dtype: ScalarType.Byte).view(count, 1, 1, 1).expand(count, 3, 2, 2).contiguous();
        var labels = arange(firstValue, firstValue + count, dtype: ScalarType.Float32).view(count, 1).expand(count, attributes).contiguous();
        return new LabelledImageSet(pixels.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope(), Enumerable.Range(0, attributes).Select(a => $"a{a}").ToList());
    }

    static float[] FirstPixels(LabelledImageSet set)
    {
        var (images, _) = set.Slice(0, set.Count);
        using var _i = images;
        return images[.., 0, 0, 0].add(1).mul(127.5).round().data<float>().ToArray();
    }

    [Fact]
    public void Should_take_the_items_of_each_set_in_turn_with_their_labels()
    {
        using var a = Set(3, 10);
        using var b = Set(1, 100);
        using var mixed = LabelledImageSet.Interleave(new[] { a, b });

        Assert.Equal(new float[] { 10, 100, 11, 12 }, FirstPixels(mixed));
        var (_, labels) = mixed.Slice(0, 4);
        using var _l = labels;
        Assert.Equal(new float[] { 10, 100, 11, 12 }, labels[.., 0].data<float>().ToArray());   // labels travel with their image
    }

    [Fact]
    public void Should_refuse_to_mix_sets_of_other_sizes_or_attributes()
    {
        using var a = Set(2, 0);
        using var b = Set(2, 0, attributes: 3);
        Assert.Throws<ArgumentException>(() => LabelledImageSet.Interleave(new[] { a, b }));
    }

    [Fact]
    public void Should_train_the_judge_on_both_worlds_from_the_command_line_and_refuse_an_ood_world_as_its_train_data()
    {
        string train = Path.Combine(_root, "train"), ood = Path.Combine(_root, "ood"), judge = Path.Combine(_root, "judge");
        var writer = new DatasetWriter(new SyntheticWorld());
        writer.Write(new DatasetRequest(train, WorldSplit.Train, 4, 64, 1, 1), (_, _) => { });
        writer.Write(new DatasetRequest(ood, WorldSplit.Ood, 4, 64, 2, 1), (_, _) => { });
        static int Pipeline(params string[] args) => new RootCommand { new Command("train") { ClassifierCommand.Create() } }.Parse(args).Invoke();

        Assert.Equal(ExitCodes.BadInput, Pipeline("train", "classifier", "--data", ood, "--out", judge, "--steps", "2", "--batch", "4", "--threads", "1"));
        Assert.Equal(ExitCodes.Ok, Pipeline("train", "classifier", "--data", train, "--ood-data", ood, "--out", judge, "--steps", "2", "--batch", "4", "--threads", "1"));
        using var model = ClassifierCommand.Load(judge);
        Assert.Equal(WorldAttributes.Names, model.Config.Attributes);
    }

    [Fact]
    public void Should_load_an_ood_world_only_for_the_judge()
    {
        var ood = Path.Combine(_root, "ood");
        new DatasetWriter(new SyntheticWorld()).Write(new DatasetRequest(ood, WorldSplit.Ood, 4, 64, 2, 1), (_, _) => { });

        var refused = Assert.Throws<ArgumentException>(() => WorldTrainingSet.Load(ood));
        Assert.Contains("train split only", refused.Message);
        using var judgeData = WorldTrainingSet.Load(ood, acceptOod: true);
        Assert.Equal(4, judgeData.Count);
        Assert.Equal(WorldAttributes.Names, judgeData.AttributeNames);
    }
}
