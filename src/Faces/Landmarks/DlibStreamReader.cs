namespace Pipeline.Faces.Landmarks;

/// <summary>
/// Reads the primitives of dlib's serialisation format (dlib/serialize.h): an integer is a control byte (bit 7: negative,
/// bits 0–3: how many little-endian magnitude bytes follow, bits 4–6 zero) and its bytes; a float is two integers, a
/// 64-bit mantissa and a 16-bit exponent (value = mantissa·2^exponent; exponents 32000, 32001, 32002 mean +∞, −∞, NaN).
/// Counts are checked against the bytes left in the file before anything is allocated, so a file that claims a billion
/// elements is refused instead of exhausting memory.
/// </summary>
internal sealed class DlibStreamReader(Stream stream, string file, long length)
{
    private readonly byte[] _buffer = new byte[1 << 16];
    private int _count;
    private int _next;
    private long _consumed;

    public long Remaining => length - _consumed;

    public long ReadInteger(string what)
    {
        var control = ReadByte(what);
        if ((control & 0x70) != 0)
            throw Broken($"{what}: byte 0x{control:x2} is not an integer's control byte");
        var size = control & 0x0F;
        if (size is 0 or > 8)
            throw Broken($"{what}: an integer of {size} bytes");
        ulong magnitude = 0;
        for (var i = 0; i < size; i++)
            magnitude |= (ulong)ReadByte(what) << (8 * i);
        if (magnitude > long.MaxValue)
            throw Broken($"{what}: integer out of range");
        return (control & 0x80) != 0 ? -(long)magnitude : (long)magnitude;
    }

    public float ReadFloat(string what)
    {
        var mantissa = ReadInteger(what);
        var exponent = ReadInteger(what);
        return exponent switch
        {
            32000 => float.PositiveInfinity,
            32001 => float.NegativeInfinity,
            32002 => float.NaN,
            _ when exponent is < short.MinValue or > short.MaxValue => throw Broken($"{what}: exponent {exponent} out of range"),
            // dlib converts the mantissa to float first, then scales it (std::ldexp((float)mantissa, exponent)).
            _ => MathF.ScaleB(mantissa, (int)exponent),
        };
    }

    /// <summary>A count of elements, each of which takes at least <paramref name="minBytesEach"/> bytes in the file.</summary>
    public int ReadCount(string what, int minBytesEach)
    {
        var count = ReadInteger(what);
        if (count < 0 || count * (long)minBytesEach > Remaining)
            throw Broken($"{what}: {count} elements do not fit in the {Remaining} bytes left");
        return (int)count;
    }

    /// <summary>A dlib column vector <c>matrix&lt;float,0,1&gt;</c>: rows and columns (stored negated), then the values.</summary>
    public float[] ReadColumnVector(string what)
    {
        var rows = Math.Abs(ReadInteger(what));
        var columns = Math.Abs(ReadInteger(what));
        if (columns != 1)
            throw Broken($"{what}: a {rows}x{columns} matrix where a column vector was expected");
        if (rows * 4 > Remaining)
            throw Broken($"{what}: {rows} values do not fit in the {Remaining} bytes left");
        var values = new float[rows];
        for (var i = 0; i < values.Length; i++)
            values[i] = ReadFloat(what);
        return values;
    }

    public InvalidDataException Broken(string reason) =>
        new($"{file} is not a dlib shape predictor this reader understands (at byte {_consumed}): {reason}");

    private byte ReadByte(string what)
    {
        if (_next == _count)
        {
            _count = stream.Read(_buffer, 0, _buffer.Length);
            _next = 0;
            if (_count == 0)
                throw Broken($"{what}: the file ends early");
        }
        _consumed++;
        return _buffer[_next++];
    }
}
