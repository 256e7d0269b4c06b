namespace Pipeline.Storage;

/// <summary>A forward-only read stream over one blob, fetched a chunk at a time with ranged reads; a chunk shorter than
/// asked for is the last one (<see cref="BlobReads"/>).</summary>
internal sealed class ChunkedBlobStream(IBlobStore store, string name, byte[] first, int chunkBytes) : Stream
{
    private byte[] _chunk = first;
    private int _at;
    private long _chunkStart;
    private bool _last = first.Length < chunkBytes;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _chunkStart + _at; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
            return 0;
        if (_at == _chunk.Length)
        {
            if (_last)
                return 0;
            _chunkStart += _chunk.Length;
            _chunk = await store.ReadRangeAsync(name, _chunkStart, chunkBytes, cancellationToken);
            _at = 0;
            _last = _chunk.Length < chunkBytes;
            if (_chunk.Length == 0)
                return 0;
        }
        var n = Math.Min(buffer.Length, _chunk.Length - _at);
        _chunk.AsMemory(_at, n).CopyTo(buffer);
        _at += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
