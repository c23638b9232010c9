namespace GraphDsl.Scheduling.Search;

/// <summary>A set of executed operators used as a dictionary key: compared bit for bit, so two
/// different partial schedules are never confused (no hash-only identity).</summary>
internal readonly struct BitSetKey : IEquatable<BitSetKey>
{
    private readonly int _hash;

    public BitSetKey(ulong[] bits)
    {
        Bits = bits;
        // HashCode mixes every bit of every word (a plain multiply-xor lets many sets that
        // differ in high bits collide, which turns dictionary lookups linear).
        var hash = new HashCode();
        foreach (var word in bits) hash.Add(word);
        _hash = hash.ToHashCode();
    }

    public ulong[] Bits { get; }

    public bool Equals(BitSetKey other) => _hash == other._hash && Bits.AsSpan().SequenceEqual(other.Bits);
    public override bool Equals(object? obj) => obj is BitSetKey k && Equals(k);
    public override int GetHashCode() => _hash;
}
