namespace GraphDsl.ArenaPlanning;

/// <summary>Where a strategy put each buffer (<c>Offsets[b]</c> for <c>BufferInterval.Id == b</c>)
/// and the arena size that results.</summary>
/// <param name="ProvenMinimal">True when no placement of these buffers at this alignment can use
/// a smaller arena: the arena equals the step-wise lower bound, or CP-SAT proved optimality.</param>
public sealed record ArenaPlacement(long[] Offsets, long ArenaBytes, bool ProvenMinimal, string Strategy);
