namespace GraphDsl.ArenaPlanning;

/// <summary>One activation's rectangle inside a shared buffer: <paramref name="Size"/> bytes at
/// <paramref name="Offset"/> from the buffer's start, alive during steps [First, Last].</summary>
/// <remarks>A buffer made of parts (a concat output and its slices, say) occupies only its live
/// parts at each step, so strategies may put other buffers into the bytes of a slice before its
/// producer writes it, or after the last reader of what shares it is done.</remarks>
public readonly record struct BufferPart(long Offset, long Size, int First, int Last);
