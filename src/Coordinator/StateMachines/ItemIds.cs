using System.Security.Cryptography;

namespace Pipeline.Coordinator.StateMachines;

/// <summary>Item ids derived from (job id, index): the job saga can start item k by id without reading the items table,
/// and a resubmitted job gets the same item ids (and so the same blob names).</summary>
public static class ItemIds
{
    public static Guid For(Guid jobId, int index)
    {
        Span<byte> input = stackalloc byte[20];
        jobId.TryWriteBytes(input);
        BitConverter.TryWriteBytes(input[16..], index);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        // Version 8 (custom) and RFC 4122 variant bits, so the value is a well-formed UUID.
        hash[7] = (byte)((hash[7] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16]);
    }
}
