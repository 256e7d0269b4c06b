using TorchSharp;

namespace Pipeline.Editing.Runtime;

/// <summary>
/// Scalars that tensor code shares, held for the life of the process. TorchSharp 0.107 frees a Scalar in its
/// finalizer and keeps nothing alive while libtorch reads it, so an implicit one (<c>x * 0.5</c>, <c>clamp(-1, 1)</c>)
/// can be freed mid-call by a collection on another thread; the analyzer in src/Analyzers reports those. Integer
/// values stay integer Scalars, as the implicit conversions made them.
/// </summary>
public static class Scalars
{
    public static readonly Scalar MinusOne = -1;
    public static readonly Scalar Zero = 0;
    public static readonly Scalar One = 1;
    public static readonly Scalar Two = 2;
    public static readonly Scalar Half = 0.5;
}
