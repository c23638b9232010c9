namespace GraphDsl.Analysis;

/// <summary>An operator the new order runs out of its stored sequence: stored at position
/// <paramref name="Operator"/> (its index in the graph's operator list), run at step <paramref name="Step"/>.</summary>
public sealed record MovedOperator(int Operator, int Step)
{
    /// <summary>The fewest operators whose moves explain <paramref name="order"/>: every other
    /// operator keeps its stored relative order (a longest increasing subsequence of the order
    /// stays put), so moving one operator far lists that one operator, not every operator it
    /// shifts by a step. Sorted by new step; empty for the stored order.</summary>
    /// <param name="order"><c>order[step]</c> = stored index of the operator run at that step.</param>
    public static IReadOnlyList<MovedOperator> Of(IReadOnlyList<int> order)
    {
        int n = order.Count;
        var kept = n <= QuadraticLimit ? KeptPreferringFixedPoints(order) : KeptLongest(order);
        var moved = new List<MovedOperator>();
        for (int step = 0; step < n; step++)
            if (!kept[step]) moved.Add(new MovedOperator(order[step], step));
        return moved;
    }

    /// <summary>Up to this many operators the kept run is chosen in O(n^2), preferring, among the
    /// longest runs, the one keeping the most operators at their stored position (so an operator
    /// still at its own step is not listed as moved); beyond, any longest run (O(n log n)).</summary>
    public const int QuadraticLimit = 5000;

    private static bool[] KeptPreferringFixedPoints(IReadOnlyList<int> order)
    {
        int n = order.Count;
        // best[i]: (length, fixed points) of the best increasing run ending at step i.
        var length = new int[n];
        var fixedPoints = new int[n];
        var previous = new int[n];
        int end = -1;
        for (int i = 0; i < n; i++)
        {
            length[i] = 1;
            fixedPoints[i] = order[i] == i ? 1 : 0;
            previous[i] = -1;
            for (int j = 0; j < i; j++)
            {
                if (order[j] >= order[i]) continue;
                int l = length[j] + 1, f = fixedPoints[j] + (order[i] == i ? 1 : 0);
                if (l > length[i] || (l == length[i] && f > fixedPoints[i])) (length[i], fixedPoints[i], previous[i]) = (l, f, j);
            }
            if (end < 0 || length[i] > length[end] || (length[i] == length[end] && fixedPoints[i] > fixedPoints[end])) end = i;
        }
        var kept = new bool[n];
        for (int step = end; step >= 0; step = previous[step]) kept[step] = true;
        return kept;
    }

    private static bool[] KeptLongest(IReadOnlyList<int> order)
    {
        int n = order.Count;
        // Patience sorting: tails[k] = step ending the best increasing run of length k + 1.
        var tails = new List<int>();
        var previous = new int[n];
        for (int step = 0; step < n; step++)
        {
            int lo = 0, hi = tails.Count;
            while (lo < hi)
            {
                int mid = (lo + hi) / 2;
                if (order[tails[mid]] < order[step]) lo = mid + 1; else hi = mid;
            }
            previous[step] = lo > 0 ? tails[lo - 1] : -1;
            if (lo == tails.Count) tails.Add(step); else tails[lo] = step;
        }
        var kept = new bool[n];
        for (int step = tails.Count > 0 ? tails[^1] : -1; step >= 0; step = previous[step]) kept[step] = true;
        return kept;
    }
}
