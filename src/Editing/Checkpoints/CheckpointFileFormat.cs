using System.Buffers.Binary;

namespace Pipeline.Editing.Checkpoints;

/// <summary>The container format of a checkpoint file, told from its first bytes.</summary>
public enum CheckpointFileFormat
{
    /// <summary>torch.save since PyTorch 1.6: a zip archive.</summary>
    TorchSaveZip,
    /// <summary>torch.save before PyTorch 1.6 (or with <c>_use_new_zipfile_serialization=False</c>): pickles, then raw storages.</summary>
    TorchSaveLegacy,
    SafeTensors,
}

/// <summary>Tells the formats apart by content, so a misnamed file is still read (or refused with the right reason).</summary>
public static class CheckpointFileSniffer
{
    /// <summary>Bytes needed to see a tar header's "ustar" magic (the pre-1.6 torch.save tar variant).</summary>
    const int SniffBytes = 512;
    const int TarMagicOffset = 257;
    const byte PickleProto = 0x80;

    public static CheckpointFileFormat Detect(string path)
    {
        byte[] head;
        long length;
        using (var fs = File.OpenRead(path))
        {
            length = fs.Length;
            head = new byte[Math.Min(SniffBytes, length)];
            fs.ReadExactly(head);
        }
        if (length == 0) throw new CheckpointFormatException(path, "file is empty");
        if (head.Length >= 4 && head[0] == 'P' && head[1] == 'K' && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6)))
            return CheckpointFileFormat.TorchSaveZip;
        if (head.Length > 8 && head[8] == '{')
        {
            ulong headerLen = BinaryPrimitives.ReadUInt64LittleEndian(head);
            if (headerLen > 0 && headerLen <= (ulong)(length - 8)) return CheckpointFileFormat.SafeTensors;
        }
        if (head.AsSpan().StartsWith(TorchSaveLegacyFile.MagicPickle)) return CheckpointFileFormat.TorchSaveLegacy;
        bool tar = head.Length >= TarMagicOffset + 5 && head.AsSpan(TarMagicOffset, 5).SequenceEqual("ustar"u8);
        if (head[0] == PickleProto || tar)
            throw new CheckpointFormatException(path,
                head[0] == PickleProto
                    ? "is a pickle without the torch.save magic number (not a checkpoint torch.save wrote); re-save the state dict with torch.save"
                    : "written by torch.save before PyTorch 1.6 in its tar variant, which is not supported: re-save it with torch>=1.6, e.g. torch.save(torch.load(old), new)");
        throw new CheckpointFormatException(path, "neither a torch.save zip archive nor a safetensors file");
    }
}
