namespace GraphDsl.Tflm;

/// <summary>One buffer handed to TFLM's planner: <paramref name="Size"/> bytes (already rounded
/// up to the arena alignment), alive over the allocation scopes [<paramref name="First"/>,
/// <paramref name="Last"/>], at a fixed <paramref name="OfflineOffset"/> or placed online (null).</summary>
public readonly record struct TflmPlannerRequest(long Size, int First, int Last, long? OfflineOffset = null);

/// <summary>TensorFlow Lite Micro's <c>GreedyMemoryPlanner</c> (memory_planner/greedy_memory_planner.cc),
/// rule for rule, so that its offsets and its maximum memory size come out to the byte.</summary>
/// <remarks>
/// The rules of that file:
/// <list type="bullet">
/// <item>Offline buffers keep their offsets and are placed first, in request order.</item>
/// <item>Online buffers are collected from the last request backwards, then bubble-sorted by size,
/// largest first; the sort swaps only strictly smaller before larger, so among equal sizes the
/// request with the higher index comes first.</item>
/// <item>An online buffer goes at the lowest offset, scanning the already placed buffers that
/// overlap it in time in ascending offset order, where the gap before the next one holds it; the
/// very first buffer of the whole order (when online) goes at 0.</item>
/// <item>Placed buffers are kept in a list sorted by offset; a new one goes after those with an
/// equal offset. The maximum memory size is the largest offset + size.</item>
/// </list>
/// Two buffers overlap in time when neither ends before the other starts (closed intervals).
/// </remarks>
public static class TflmGreedyPlanner
{
    /// <summary>Offsets of <paramref name="requests"/> (bytes from the arena start, by request
    /// index) and the head size in bytes.</summary>
    public static (long[] Offsets, long HeadBytes) Plan(IReadOnlyList<TflmPlannerRequest> requests)
    {
        int n = requests.Count;
        var offsets = new long[n];
        if (n == 0) return (offsets, 0);

        var order = new List<int>(n);
        for (int i = 0; i < n; i++) if (requests[i].OfflineOffset is not null) order.Add(i);
        var online = new List<int>();
        for (int i = n - 1; i >= 0; i--) if (requests[i].OfflineOffset is null) online.Add(i);
        // A stable sort by size, descending, of the reversed list: TFLM's bubble sort gives the same.
        order.AddRange(online.Select((id, pos) => (id, pos)).OrderByDescending(e => requests[e.id].Size)
            .ThenBy(e => e.pos).Select(e => e.id));

        // Placed buffers in ascending offset order (ties: in placement order).
        var byOffset = new List<int>(n);
        for (int k = 0; k < n; k++)
        {
            int id = order[k];
            var wanted = requests[id];
            long offset;
            if (wanted.OfflineOffset is { } fixedOffset) offset = fixedOffset;
            else if (k == 0) offset = 0;
            else offset = FirstFit(requests, offsets, byOffset, wanted);
            offsets[id] = offset;
            int at = byOffset.Count;
            for (int p = 0; p < byOffset.Count; p++)
            {
                if (offsets[byOffset[p]] > offset) { at = p; break; }
            }
            byOffset.Insert(at, id);
        }
        long head = 0;
        for (int i = 0; i < n; i++) head = Math.Max(head, offsets[i] + requests[i].Size);
        return (offsets, head);
    }

    private static long FirstFit(IReadOnlyList<TflmPlannerRequest> requests, long[] offsets, List<int> byOffset, TflmPlannerRequest wanted)
    {
        long candidate = 0;
        int prior = -1;
        int p = 0;
        while (true)
        {
            // The next placed buffer (after the prior one) that is alive at the same time.
            int next = -1;
            for (; p < byOffset.Count; p++)
            {
                var other = requests[byOffset[p]];
                if (other.First <= wanted.Last && wanted.First <= other.Last) { next = p; break; }
            }
            if (prior >= 0)
            {
                long priorEnd = offsets[byOffset[prior]] + requests[byOffset[prior]].Size;
                if (priorEnd > candidate) candidate = priorEnd;
            }
            if (next < 0) break;
            if (offsets[byOffset[next]] - candidate >= wanted.Size) break;
            prior = next;
            p = next + 1;
        }
        return candidate;
    }
}
