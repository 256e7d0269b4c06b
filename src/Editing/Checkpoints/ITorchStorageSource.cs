using static TorchSharp.torch;

namespace Pipeline.Editing.Checkpoints;

/// <summary>Where a torch.save file keeps its storages: zip records, or the records after a legacy file's pickles.</summary>
public interface ITorchStorageSource
{
    string File { get; }

    /// <summary>The whole storage as a 1-D tensor of <see cref="TorchStorageRef.Numel"/> elements, read on first use.</summary>
    Tensor Storage(TorchStorageRef storage);
}
