namespace GraphDsl.Scheduling.Search;

/// <summary>A set of executed operators used as a dictionary key: compared bit for bit, so two
/// different partial schedules are never confused (no hash-only identity).</summary>
internal readonly struct BitSetKey : IEquatable<BitSetKey>
{
    private readonly int _hash;

    public BitSetKey(ulong[] bits)
    {
        Bits = bits;
        ulong h = 14695981039346656037UL;
        foreach (var word in bits) h = (h ^ word) * 1099511628211UL ^ (h >> 29);
        _hash = (int)(h ^ (h >> 32));
    }

    public ulong[] Bits { get; }

    public bool Equals(BitSetKey other) => _hash == other._hash && Bits.AsSpan().SequenceEqual(other.Bits);
    public override bool Equals(object? obj) => obj is BitSetKey k && Equals(k);
    public override int GetHashCode() => _hash;
}
