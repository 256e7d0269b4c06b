using static TorchSharp.torch;

namespace Pipeline.Editing.Checkpoints;

/// <summary>
/// A storage named by a torch.save persistent id <c>('storage', &lt;class&gt;, key, location, numel)</c>: the zip entry
/// <c>&lt;archive&gt;/data/&lt;key&gt;</c> holds <c>numel</c> elements of <c>dtype</c>. The location is ignored: everything
/// loads to the CPU, as <c>map_location='cpu'</c> would.
/// </summary>
public sealed record TorchStorageRef(string Key, ScalarType DType, long Numel, string Location)
{
    public long ByteLength => Numel * DTypes.ElementSize(DType);
}

/// <summary>
/// A tensor described by <c>_rebuild_tensor_v2</c> but not built yet: the unpickler first checks the whole pickle and
/// only then reads storages, so a refused file never gets as far as allocating tensor memory.
/// </summary>
public sealed record TensorSpec(TorchStorageRef Storage, long Offset, long[] Size, long[] Stride);
