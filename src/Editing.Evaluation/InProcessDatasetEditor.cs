using Pipeline.Editing.Method;
using static TorchSharp.torch;

namespace Pipeline.Editing.Evaluation;

/// <summary>Edits in this process with <see cref="EditMethod"/> (invert, edit, Diff-CAM, compose, deghost).</summary>
public sealed class InProcessDatasetEditor(EditModels models, MethodOptions options) : IDatasetEditor
{
    readonly EditMethod _method = new(models, options);

    public int ImageSize => models.ImageSize;
    public string Description => $"model pack '{models.Manifest.Name}' in process";

    public EditedBatch Edit(Tensor images, AttributeEdit edit)
    {
        using var result = _method.Run(images, [edit]);
        var mask = result.Mask.dim() == 3 ? result.Mask.unsqueeze(1) : result.Mask.alias();
        return new EditedBatch(result.Final.clone(), mask.clone());
    }
}
