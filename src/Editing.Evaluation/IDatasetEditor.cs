using Pipeline.Editing.Method;
using static TorchSharp.torch;

namespace Pipeline.Editing.Evaluation;

/// <summary>One batch edited for an evaluation: the outputs [B,3,S,S] in [−1,1] and the Diff-CAM masks [B,1,S,S] in [0,1].</summary>
public sealed class EditedBatch(Tensor output, Tensor mask) : IDisposable
{
    public Tensor Output { get; } = output;
    public Tensor Mask { get; } = mask;

    public void Dispose()
    {
        Output.Dispose();
        Mask.Dispose();
    }
}

/// <summary>
/// Where an evaluation gets its edits from: in process (<see cref="InProcessDatasetEditor"/>), or jobs through the
/// embedded or distributed pipeline (<c>Pipeline.Cli.Evaluation.PipelineDatasetEditor</c>, the command's default).
/// </summary>
public interface IDatasetEditor
{
    /// <summary>Side of the square images the editor takes and returns.</summary>
    int ImageSize { get; }

    /// <summary>A short description for the report (model pack, where it ran).</summary>
    string Description { get; }

    /// <summary>Edits a batch [B,3,S,S] in [−1,1] with one attribute edit.</summary>
    EditedBatch Edit(Tensor images, AttributeEdit edit);
}
