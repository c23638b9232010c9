namespace GraphDsl.Scheduling.Search;

/// <summary>The exact minimum-peak search: a bottleneck shortest path over partial schedules
/// (sets of executed operators closed under predecessors), explored threshold by threshold.</summary>
/// <remarks>
/// Stages:
/// 1. With a threshold B (first the cheap lower bound), a depth-first search follows only moves
///    whose every step costs at most B. Each partial schedule is visited once in the whole run
///    (memo keyed by the executed set): the future of a partial schedule does not depend on how
///    it was reached, and being reachable under B stays true for every larger B.
/// 2. Moves costing more than B are parked in a frontier keyed by cost; moves costing at least
///    the incumbent (best heuristic peak) are dropped, as they cannot improve it.
/// 3. When B is exhausted, no order has a peak of B or less... except through parked moves, so
///    the smallest parked cost is a proven lower bound: B becomes that cost and the search
///    resumes from those moves. The first complete schedule reached has peak exactly B (optimal);
///    an empty frontier proves the incumbent optimal.
/// Pruning rule (commit): if some move M from S costs at most B and does not grow the resident
/// bytes, M is the only move explored from S. Sound because in any completion from S whose steps
/// all cost at most B, moving M to the front changes each step it jumps over by M's resident
/// change (its freed inputs die earlier, its kept outputs are born earlier), which is not
/// positive, and M itself costs at most B; lazy sources stay right before their first consumer.
/// No explicit split at single-tensor cuts is needed: where every order must pass through one
/// operator, the executed sets on either side are independent, so the number of states is the sum
/// (not the product) of the two sides' counts, and the memo never revisits one side per state of
/// the other. Memory: <see cref="SearchLimits.MaxStates"/> caps the states; the frontier holds at
/// most one entry per expanded state and parked move.
/// </remarks>
internal sealed class ThresholdSearch
{
    private readonly ScheduleStructure _s;
    private readonly ScheduleState _state;
    private readonly SearchLimits _limits;
    private readonly MoveEvaluator _evaluator = new();
    private readonly List<MoveOption> _options = new();
    private readonly List<int> _applied = new();
    private readonly Dictionary<BitSetKey, int> _ids = new();
    private readonly List<ulong[]> _bits = new();
    private readonly List<int> _parent = new();
    private readonly List<int> _head = new();
    private readonly PriorityQueue<(int State, int Head), long> _frontier = new();
    private long _threshold;
    private long _incumbent;
    private OrderSearchOutcome? _stop;

    public ThresholdSearch(ScheduleStructure structure, SearchLimits limits)
    {
        _s = structure;
        _state = new ScheduleState(structure);
        _limits = limits;
    }

    public long States => _bits.Count;

    /// <summary>Runs until the optimum is proven or a limit stops it.</summary>
    /// <returns>The final complete state (or -1 when the incumbent is optimal or the search
    /// stopped), the proven lower bound, and why it stopped.</returns>
    public (int Goal, long LowerBound, OrderSearchOutcome Outcome) Run(long lowerBound, long incumbent)
    {
        _threshold = lowerBound;
        _incumbent = incumbent;
        if (_threshold >= _incumbent) return (-1, _incumbent, OrderSearchOutcome.Optimal);
        _state.Reset();
        int goal = Explore(Register(-1, -1));
        while (goal < 0 && _stop is null)
        {
            if (!_frontier.TryPeek(out _, out var next)) return (-1, _incumbent, OrderSearchOutcome.Optimal);
            _threshold = next;
            Report();
            while (goal < 0 && _stop is null && _frontier.TryPeek(out var entry, out var cost) && cost <= _threshold)
            {
                _frontier.Dequeue();
                _state.Load(_bits[entry.State]);
                _applied.Clear();
                _state.ApplyMove(entry.Head, _applied);
                if (_ids.ContainsKey(new BitSetKey(_state.Bits))) continue;
                int id = Register(entry.State, entry.Head);
                goal = _state.IsComplete ? id : Explore(id);
            }
        }
        if (goal >= 0) return (goal, _threshold, OrderSearchOutcome.Optimal);
        return (-1, _threshold, _stop ?? OrderSearchOutcome.Optimal);
    }

    /// <summary>The operators of the schedule ending in <paramref name="goal"/>, in order.</summary>
    public int[] OrderOf(int goal)
    {
        var heads = new List<int>();
        for (int id = goal; _parent[id] >= 0; id = _parent[id]) heads.Add(_head[id]);
        heads.Reverse();
        _state.Reset();
        var order = new List<int>(_s.OperatorCount);
        foreach (var head in heads) _state.ApplyMove(head, order);
        return order.ToArray();
    }

    private sealed class Frame(int id, int[] children, int undoCount)
    {
        public int Id { get; } = id;
        public int[] Children { get; } = children;
        public int UndoCount { get; } = undoCount;
        public int Next { get; set; }
    }

    /// <summary>Depth-first search under the current threshold from a freshly registered state
    /// that <see cref="_state"/> holds; returns a complete state's id or -1.</summary>
    private int Explore(int start)
    {
        if (start < 0) return -1;
        if (_state.IsComplete) return start;
        _applied.Clear();
        var stack = new Stack<Frame>();
        stack.Push(Expand(start, 0));
        while (stack.Count > 0 && _stop is null)
        {
            var frame = stack.Peek();
            if (frame.Next == frame.Children.Length)
            {
                stack.Pop();
                _state.UndoMove(_applied, frame.UndoCount);
                continue;
            }
            int head = frame.Children[frame.Next++];
            int before = _applied.Count;
            _state.ApplyMove(head, _applied);
            int moved = _applied.Count - before;
            if (_ids.ContainsKey(new BitSetKey(_state.Bits)))
            {
                _state.UndoMove(_applied, moved);
                continue;
            }
            int id = Register(frame.Id, head);
            if (id < 0) return -1;
            if (_state.IsComplete) return id;
            stack.Push(Expand(id, moved));
        }
        return -1;
    }

    /// <summary>Chooses the moves to follow from the current state and parks the expensive ones.</summary>
    private Frame Expand(int id, int undoCount)
    {
        _evaluator.Evaluate(_state, _options);
        MoveOption? commit = null;
        foreach (var o in _options)
            if (o.Cost <= _threshold && o.Delta <= 0 && (commit is not { } c || (o.Delta, o.Cost, o.Head).CompareTo((c.Delta, c.Cost, c.Head)) < 0))
                commit = o;
        if (commit is { } only) return new Frame(id, [only.Head], undoCount);
        var follow = new List<MoveOption>();
        foreach (var o in _options)
        {
            if (o.Cost <= _threshold) follow.Add(o);
            else if (o.Cost < _incumbent) _frontier.Enqueue((id, o.Head), o.Cost);
        }
        // Most memory released first: on the final threshold this finds a schedule quickly.
        follow.Sort((a, b) => (a.Delta, a.Cost, a.Head).CompareTo((b.Delta, b.Cost, b.Head)));
        return new Frame(id, follow.Select(o => o.Head).ToArray(), undoCount);
    }

    /// <summary>Bytes the memo and frontier take, estimated: per state its bit array (24-byte header
    /// plus one ulong per 64 operators), its dictionary entry (~32 B) and list slots (~12 B); per
    /// frontier entry ~24 B.</summary>
    private long EstimatedBytes() =>
        (long)_bits.Count * (24 + 8L * (_bits.Count > 0 ? _bits[0].Length : 1) + 44) + (long)_frontier.Count * 24;

    /// <summary>Records the state <see cref="_state"/> holds; returns its id, or -1 when a limit
    /// stops the search.</summary>
    private int Register(int parent, int head)
    {
        if (_bits.Count >= _limits.MaxStates) { _stop = OrderSearchOutcome.StateLimitReached; return -1; }
        if ((_bits.Count & 255) == 0)
        {
            if (_limits.Cancellation.IsCancellationRequested) { _stop = OrderSearchOutcome.Cancelled; return -1; }
            if (_limits.Clock.Elapsed > _limits.Deadline) { _stop = OrderSearchOutcome.TimeBudgetExhausted; return -1; }
            if (EstimatedBytes() > _limits.MemoryBudgetBytes) { _stop = OrderSearchOutcome.StateLimitReached; return -1; }
            if ((_bits.Count & 65535) == 0 && _bits.Count > 0) Report();
        }
        var bits = (ulong[])_state.Bits.Clone();
        int id = _bits.Count;
        _ids.Add(new BitSetKey(bits), id);
        _bits.Add(bits);
        _parent.Add(parent);
        _head.Add(head);
        return id;
    }

    private void Report() =>
        _limits.Progress?.Report(new OrderSearchProgress(_threshold, _incumbent, _bits.Count, _limits.Clock.Elapsed));
}
