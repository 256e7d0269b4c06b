using System.Buffers.Binary;

namespace Pipeline.Editing.Checkpoints;

/// <summary>The container format of a checkpoint file, told from its first bytes.</summary>
public enum CheckpointFileFormat
{
    /// <summary>torch.save since PyTorch 1.6: a zip archive.</summary>
    TorchSaveZip,
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
        bool tar = head.Length >= TarMagicOffset + 5 && head.AsSpan(TarMagicOffset, 5).SequenceEqual("ustar"u8);
        if (head[0] == PickleProto || tar)
            throw new CheckpointFormatException(path,
                "written by torch.save before PyTorch 1.6 (legacy non-zip format), which is not supported: re-save it with torch>=1.6, e.g. torch.save(torch.load(old), new)");
        throw new CheckpointFormatException(path, "neither a torch.save zip archive nor a safetensors file");
    }
}
