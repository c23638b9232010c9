using GraphDsl.Analysis;

namespace GraphDsl.ArenaPlanning;

/// <summary>Activations grouped into buffers by the reuse analysis: every activation lives in one
/// buffer at a fixed offset inside it. Without reuse each activation is its own buffer.</summary>
/// <param name="Buffers">What placement strategies place; <c>Buffers[b].Id == b</c>.</param>
/// <param name="BufferOf">For each activation id, the buffer holding it.</param>
/// <param name="OffsetInBuffer">For each activation id, its byte offset inside its buffer.</param>
/// <param name="Aliases">The reuse decisions, at most one per activation (its parent in the buffer's tree).</param>
public sealed record BufferAssignment(
    IReadOnlyList<BufferInterval> Buffers,
    int[] BufferOf,
    long[] OffsetInBuffer,
    IReadOnlyList<TensorAlias> Aliases)
{
    /// <summary>The most bytes any step needs when aliases are counted once: for each buffer, the
    /// union of the byte ranges of its activations alive at that step. No placement that keeps
    /// these decisions can use less; with no aliases it equals the liveness peak.</summary>
    public long AdjustedPeak(MemoryProblem problem, Liveness liveness)
    {
        // Steps Liveness.EarliestStep .. n-1, stored at index step - earliest. Buffers of one
        // activation add their size over its lifetime (a difference array); only shared buffers
        // need the per-step union of ranges.
        const int earliest = Liveness.EarliestStep;
        int steps = problem.OperatorCount - earliest;
        var delta = new long[steps + 1];
        var perStep = new long[steps];
        foreach (var group in Enumerable.Range(0, problem.TensorCount).GroupBy(t => BufferOf[t]))
        {
            var members = group.ToArray();
            if (members.Length == 1)
            {
                int t = members[0];
                delta[liveness.First[t] - earliest] += problem.Size[t];
                delta[liveness.Last[t] + 1 - earliest] -= problem.Size[t];
                continue;
            }
            int from = members.Min(t => liveness.First[t]), to = members.Max(t => liveness.Last[t]);
            for (int step = from; step <= to; step++)
                perStep[step - earliest] += UnionOfLiveRanges(problem, liveness, members, step);
        }
        long alive = 0, peak = 0;
        for (int step = 0; step < steps; step++)
        {
            alive += delta[step];
            peak = Math.Max(peak, alive + perStep[step]);
        }
        return peak;
    }

    private long UnionOfLiveRanges(MemoryProblem problem, Liveness liveness, int[] members, int step) =>
        ByteRanges.Covered(members.Where(t => liveness.IsLiveAt(t, step)).Select(t => (OffsetInBuffer[t], OffsetInBuffer[t] + problem.Size[t])));

    /// <summary>Each activation in its own buffer, living exactly as long as the activation.</summary>
    public static BufferAssignment Separate(MemoryProblem problem, Liveness liveness) => new(
        Enumerable.Range(0, problem.TensorCount)
            .Select(t => new BufferInterval(t, problem.Size[t], liveness.First[t], liveness.Last[t])).ToArray(),
        Enumerable.Range(0, problem.TensorCount).ToArray(),
        new long[problem.TensorCount],
        []);
}
