namespace GraphDsl.Scheduling.Search;

/// <summary>A partial schedule (the set S of operators already run, always closed under
/// predecessors) with what the search needs to extend it: which moves are possible, what each
/// move costs, and the bytes resident between steps.</summary>
/// <remarks>
/// A move is one operator X together with its not-yet-run lazy sources, which run right before
/// it. Why fusing lazy sources loses nothing: take any order in which a lazy source Y runs at a
/// step p &gt; 0 and its first consumer at q. Moving Y to q-1 shifts the steps p+1..q-1 down by
/// one; at each of them the alive set loses Y's outputs and gains nothing (Y reads no activation,
/// so no lifetime grows). At its new step Y adds its outputs to tensors that are all alive at
/// step q as well, and Y's outputs are alive at q too (each is read at q or later, or is a graph
/// output), so the new step costs no more than step q did. (Tensors that no operator needs live
/// before the first operator only, see <see cref="GraphDsl.Analysis.Liveness"/>, so step 0 is
/// no exception.)
/// </remarks>
internal sealed class ScheduleState
{
    private readonly ScheduleStructure _s;
    private readonly bool[] _executed;
    private readonly int[] _pendingEager;
    private readonly int[] _unreadBy;
    private readonly long _initialResident;

    public ScheduleState(ScheduleStructure structure)
    {
        _s = structure;
        int n = structure.OperatorCount;
        _executed = new bool[n];
        _pendingEager = new int[n];
        _unreadBy = new int[structure.Problem.TensorCount];
        Bits = new ulong[(n + 63) / 64];
        var p = structure.Problem;
        for (int t = 0; t < p.TensorCount; t++)
            if (structure.LivesFromStart[t] && (p.IsGraphOutput[t] || p.Consumers[t].Length > 0)) _initialResident += p.Size[t];
        Reset();
    }

    public ScheduleStructure Structure => _s;

    /// <summary>S as a bit set over operator indices.</summary>
    public ulong[] Bits { get; }

    public int ExecutedCount { get; private set; }

    public bool IsComplete => ExecutedCount == _s.OperatorCount;

    /// <summary>Bytes alive between steps: available tensors that something still needs.</summary>
    public long ResidentBytes { get; private set; }

    public bool IsExecuted(int op) => _executed[op];

    public void Reset()
    {
        Array.Clear(_executed);
        Array.Clear(Bits);
        ExecutedCount = 0;
        Array.Copy(_s.EagerPredecessorCount, _pendingEager, _pendingEager.Length);
        var p = _s.Problem;
        for (int t = 0; t < _unreadBy.Length; t++) _unreadBy[t] = p.Consumers[t].Length;
        ResidentBytes = _initialResident;
    }

    /// <summary>Sets S to the given bit set (which must be closed under predecessors) by replaying
    /// its operators in a topological order.</summary>
    public void Load(ulong[] bits)
    {
        Reset();
        var ready = new Stack<int>();
        var waiting = new int[_s.OperatorCount];
        for (int op = 0; op < _s.OperatorCount; op++)
        {
            waiting[op] = _s.Predecessors[op].Length;
            if (waiting[op] == 0 && Has(bits, op)) ready.Push(op);
        }
        while (ready.Count > 0)
        {
            int op = ready.Pop();
            Apply(op);
            foreach (var succ in _s.Successors[op])
                if (--waiting[succ] == 0 && Has(bits, succ)) ready.Push(succ);
        }
    }

    private static bool Has(ulong[] bits, int op) => (bits[op >> 6] & (1UL << (op & 63))) != 0;

    /// <summary>The heads of all moves from S: operators (not lazy sources) whose other
    /// predecessors have run.</summary>
    public void Moves(List<int> into)
    {
        into.Clear();
        for (int op = 0; op < _s.OperatorCount; op++)
            if (!_executed[op] && !_s.IsLazySource[op] && _pendingEager[op] == 0) into.Add(op);
    }

    /// <summary>Runs the move headed by <paramref name="head"/>, appending the operators run to
    /// <paramref name="applied"/>; returns the largest step cost of the move.</summary>
    public long ApplyMove(int head, List<int> applied)
    {
        long cost = 0;
        if (!_s.IsLazySource[head])
            foreach (var source in _s.LazySourcesOf[head])
                if (!_executed[source]) { cost = Math.Max(cost, Apply(source)); applied.Add(source); }
        cost = Math.Max(cost, Apply(head));
        applied.Add(head);
        return cost;
    }

    /// <summary>Undoes the last <paramref name="count"/> operators of <paramref name="applied"/>.</summary>
    public void UndoMove(List<int> applied, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Undo(applied[^1]);
            applied.RemoveAt(applied.Count - 1);
        }
    }

    /// <summary>Runs one operator; returns the bytes alive during its step.</summary>
    private long Apply(int op)
    {
        var p = _s.Problem;
        long cost = ResidentBytes + _s.ProducedBytes[op];
        _executed[op] = true;
        Bits[op >> 6] |= 1UL << (op & 63);
        ExecutedCount++;
        foreach (var t in _s.Produced[op])
            if (IsNeeded(t)) ResidentBytes += p.Size[t];
        foreach (var t in p.OperatorInputs[op])
            if (--_unreadBy[t] == 0 && !p.IsGraphOutput[t] && IsAvailable(t)) ResidentBytes -= p.Size[t];
        if (!_s.IsLazySource[op])
            foreach (var succ in _s.Successors[op]) _pendingEager[succ]--;
        return cost;
    }

    /// <summary>Exact inverse of <see cref="Apply"/>, in reverse order of its effects.</summary>
    private void Undo(int op)
    {
        var p = _s.Problem;
        if (!_s.IsLazySource[op])
            foreach (var succ in _s.Successors[op]) _pendingEager[succ]++;
        foreach (var t in p.OperatorInputs[op])
            if (_unreadBy[t]++ == 0 && !p.IsGraphOutput[t] && IsAvailable(t)) ResidentBytes += p.Size[t];
        foreach (var t in _s.Produced[op])
            if (IsNeeded(t)) ResidentBytes -= p.Size[t];
        ExecutedCount--;
        Bits[op >> 6] &= ~(1UL << (op & 63));
        _executed[op] = false;
    }

    private bool IsNeeded(int t) => _s.Problem.IsGraphOutput[t] || _unreadBy[t] > 0;

    private bool IsAvailable(int t) => _s.LivesFromStart[t] || _executed[_s.Problem.Producer[t]];
}
