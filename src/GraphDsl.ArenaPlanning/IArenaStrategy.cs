namespace GraphDsl.ArenaPlanning;

/// <summary>A placement algorithm: a pure function from buffers and an alignment to offsets.</summary>
/// <remarks>Offsets are multiples of the alignment and buffers with overlapping step ranges get
/// disjoint byte ranges of their aligned sizes. Equal inputs give equal outputs (ties are broken
/// by size, then conflicts, then id), except that CP-SAT may find different optima under a time
/// budget.</remarks>
public interface IArenaStrategy
{
    string Name { get; }

    ArenaPlacement Place(IReadOnlyList<BufferInterval> buffers, long alignment, CancellationToken cancellation);
}
