namespace GraphDsl.ArenaPlanning;

/// <summary>One block the arena must hold: <paramref name="Size"/> bytes alive during the closed
/// step range [<paramref name="First"/>, <paramref name="Last"/>]. Strategies see only these.</summary>
/// <remarks>A buffer shared by several activations lists them as <see cref="Parts"/>; then it
/// occupies, at each step, only the parts alive at that step. Without parts it occupies its whole
/// aligned size for all its steps.</remarks>
public readonly record struct BufferInterval(int Id, long Size, int First, int Last)
{
    /// <summary>The activations sharing this buffer, or null for a plain rectangle.</summary>
    public IReadOnlyList<BufferPart>? Parts { get; init; }

    /// <summary>The rectangles this buffer occupies relative to its offset: its parts, or the
    /// whole aligned size over its lifetime.</summary>
    public IReadOnlyList<BufferPart> Rectangles(long alignment) =>
        Parts ?? [new BufferPart(0, AlignedSize(alignment), First, Last)];

    public bool Overlaps(BufferInterval other) => First <= other.Last && other.First <= Last;

    /// <summary>The size rounded up to <paramref name="alignment"/>: buffers are placed at aligned
    /// offsets and TensorFlow Lite Micro rounds each request up the same way.</summary>
    public long AlignedSize(long alignment) => AlignUp(Size, alignment);

    public static long AlignUp(long value, long alignment) => (value + alignment - 1) / alignment * alignment;
}
