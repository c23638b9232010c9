namespace GraphDsl.ArenaPlanning;

/// <summary>One block the arena must hold: <paramref name="Size"/> bytes alive during the closed
/// step range [<paramref name="First"/>, <paramref name="Last"/>]. Strategies see only these.</summary>
public readonly record struct BufferInterval(int Id, long Size, int First, int Last)
{
    public bool Overlaps(BufferInterval other) => First <= other.Last && other.First <= Last;

    /// <summary>The size rounded up to <paramref name="alignment"/>: buffers are placed at aligned
    /// offsets and TensorFlow Lite Micro rounds each request up the same way.</summary>
    public long AlignedSize(long alignment) => AlignUp(Size, alignment);

    public static long AlignUp(long value, long alignment) => (value + alignment - 1) / alignment * alignment;
}
