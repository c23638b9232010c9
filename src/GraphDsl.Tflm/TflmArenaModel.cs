using GraphDsl.Analysis;
using GraphDsl.Ir;

namespace GraphDsl.Tflm;

/// <summary>Predicts TensorFlow Lite Micro's arena for a model: which buffers its
/// <c>MicroAllocator</c> plans, when each is alive, where <c>GreedyMemoryPlanner</c> puts them,
/// and what the persistent section holds (<see cref="TflmCalibration.Commit"/>).</summary>
/// <remarks>
/// Rules, from micro_allocator.cc and micro_allocation_info.cc:
/// <list type="bullet">
/// <item>Every tensor of every subgraph is a candidate, numbered cumulatively (subgraph 0's, then
/// subgraph 1's...); one is planned when it has no constant data, is not a variable and has a
/// non-zero size (<see cref="RuntimeTensorBytes"/>: int4 one byte per element, RESOURCE 4 bytes). A variable with an offline offset is planned too.</item>
/// <item>Kernel scratch buffers follow, in the order kernels request them during Prepare
/// (subgraph by subgraph, operators in stored order), always planned online.</item>
/// <item>Lifetimes are allocation scopes: a counter starting at 0, incremented before each
/// operator and before each subgraph a control-flow operator (IF, WHILE, CALL_ONCE) calls, whose
/// tensors are marked at that point, recursively. Subgraph inputs are created and used at the
/// scope of entry, outputs live to the scope of exit; a tensor nothing touches keeps [-1, -1].</item>
/// <item>Sizes are rounded up to 16 bytes and handed to <see cref="TflmGreedyPlanner"/>.</item>
/// </list>
/// An offline plan (metadata <c>OfflineMemoryAllocation</c>) is taken only from the caller's
/// offsets: the IR does not keep a source model's metadata buffers.
/// </remarks>
public static class TflmArenaModel
{
    /// <summary>Models <paramref name="model"/> as TFLM would run it with its main graph's
    /// operators in <paramref name="mainOrder"/> (null: stored order) and with the offline
    /// offsets <paramref name="mainOfflineOffsets"/> for the main graph's tensors, by tensor index
    /// (-1: planned online; null: the model's own offline plan, <c>offline_offset</c> tensor
    /// attributes, or none).</summary>
    public static TflmArena Compute(Model model, TflmTarget? target = null, IReadOnlyList<int>? mainOrder = null,
        IReadOnlyList<long>? mainOfflineOffsets = null)
    {
        target ??= TflmTarget.Host64;
        var graphs = model.Graphs;
        var orders = new int[graphs.Count][];
        for (int g = 0; g < graphs.Count; g++)
            orders[g] = g == 0 && mainOrder is not null ? mainOrder.ToArray() : Enumerable.Range(0, graphs[g].Operators.Count).ToArray();

        var estimates = new List<TflmEstimateReason>();
        var firstTensor = new int[graphs.Count];
        int tensorCount = 0;
        for (int g = 0; g < graphs.Count; g++) { firstTensor[g] = tensorCount; tensorCount += graphs[g].Tensors.Count; }

        // The offline plan TFLM reads: the caller's offsets for the main graph (the plan about to be
        // written), else the model's own (OfflineMemoryAllocation read by the importer).
        var offline = new long?[tensorCount];
        bool hasPlan = mainOfflineOffsets is not null;
        for (int g = 0; g < graphs.Count; g++)
        {
            for (int i = 0; i < graphs[g].Tensors.Count; i++)
            {
                if (mainOfflineOffsets is not null)
                    offline[firstTensor[g] + i] = g == 0 && i < mainOfflineOffsets.Count && mainOfflineOffsets[i] >= 0 ? mainOfflineOffsets[i] : null;
                else if (graphs[g].Tensors[i].Attributes[WellKnownAttributes.OfflineOffset]?.AsInt() is { } own)
                {
                    offline[firstTensor[g] + i] = own;
                    hasPlan = true;
                }
            }
        }

        // Allocation info of the tensors (InitializeAllocationInfo).
        var entries = new List<Entry>(tensorCount);
        for (int g = 0; g < graphs.Count; g++)
        {
            for (int i = 0; i < graphs[g].Tensors.Count; i++)
            {
                var t = graphs[g].Tensors[i];
                long bytes = RuntimeTensorBytes.Of(t.Type) ?? 0;
                if (RuntimeTensorBytes.Of(t.Type) is null && t.Kind == TensorKind.Activation)
                    estimates.Add(new TflmEstimateReason(t.Type.ToString(), $"subgraph{g}/tensor{i}", $"tensor '{t.Name}' has no size TFLM can compute; counted as 0 B"));
                var fixedOffset = offline[firstTensor[g] + i];
                bool needsAllocating = t.Kind == TensorKind.Activation && bytes != 0;
                if (t.Kind == TensorKind.Variable && fixedOffset is not null) needsAllocating = true;
                entries.Add(new Entry(TflmBufferKind.Tensor, g, i, t.Name, bytes, needsAllocating, fixedOffset));
            }
        }

        // Scratch requests, in Prepare order.
        var scratchOf = new Dictionary<(int Graph, int Step), List<int>>();
        for (int g = 0; g < graphs.Count; g++)
        {
            var graph = graphs[g];
            for (int step = 0; step < orders[g].Length; step++)
            {
                var op = graph.Operators[orders[g][step]];
                var requests = TflmKernelScratch.Of(graph, op, target);
                if (requests.NotModelled is { } why)
                    estimates.Add(new TflmEstimateReason(OperatorLabel(op), $"subgraph{g}/op{orders[g][step]}", why + "; its scratch buffers are not counted"));
                for (int k = 0; k < requests.Bytes.Count; k++)
                {
                    if (!scratchOf.TryGetValue((g, step), out var list)) scratchOf[(g, step)] = list = new List<int>();
                    list.Add(entries.Count);
                    entries.Add(new Entry(TflmBufferKind.Scratch, g, orders[g][step], $"{op.OpType}#{k}", requests.Bytes[k], true, null));
                }
            }
        }

        var marker = new ScopeMarker(graphs, orders, entries, firstTensor, scratchOf, estimates);
        marker.Mark(0);

        var planned = entries.Where(e => e.Planned).ToList();
        var requestsAll = planned.Select(e => e.Request).ToList();
        var (offsets, head) = TflmGreedyPlanner.Plan(requestsAll);
        var tensorEntries = planned.Where(e => e.Kind == TflmBufferKind.Tensor).ToList();
        var (tensorOffsets, tensorHead) = TflmGreedyPlanner.Plan(tensorEntries.Select(e => e.Request).ToList());
        var tensorOnlyOffsets = new Dictionary<(int, int), long>();
        for (int b = 0; b < tensorEntries.Count; b++) tensorOnlyOffsets[(tensorEntries[b].Graph, tensorEntries[b].Index)] = tensorOffsets[b];

        var buffers = new List<TflmBuffer>(planned.Count);
        long activationEnd = 0;
        for (int b = 0; b < planned.Count; b++)
        {
            var e = planned[b];
            buffers.Add(new TflmBuffer(e.Kind, e.Graph, e.Index, e.Name, e.Bytes, e.Request.Size, e.First, e.Last, e.Offline, offsets[b]));
            if (e.Kind == TflmBufferKind.Tensor) activationEnd = Math.Max(activationEnd, offsets[b] + e.Request.Size);
        }

        var (tail, tailItems) = TflmPersistentSection.Compute(model, orders, hasPlan ? offline : null, scratchCount: entries.Count(e => e.Kind == TflmBufferKind.Scratch), target, estimates);
        return new TflmArena(head, activationEnd, tensorHead, tail, buffers, tailItems, estimates, target)
        {
            MainStepScopes = marker.MainStepScopes,
            TensorOnlyOffsets = tensorOnlyOffsets,
            LastScope = marker.Scope,
        };
    }


    internal static string OperatorLabel(Operator op) =>
        op.OpType == "CUSTOM" && op.CustomCode is { } code ? code : op.OpType;

    private sealed class Entry(TflmBufferKind kind, int graph, int index, string name, long bytes, bool planned, long? offline)
    {
        public TflmBufferKind Kind { get; } = kind;
        public int Graph { get; } = graph;
        public int Index { get; } = index;
        public string Name { get; } = name;
        public long Bytes { get; } = bytes;
        public bool Planned { get; } = planned;
        public long? Offline { get; } = offline;
        public int First { get; set; } = -1;
        public int Last { get; set; } = -1;

        public TflmPlannerRequest Request =>
            new(AlignUp(Bytes, TflmCalibration.ArenaAlignment), First, Last, Offline);

        public void Created(int scope) { if (First == -1) First = scope; }

        public void Used(int scope) => Last = scope;
    }

    internal static long AlignUp(long value, long alignment) => (value + alignment - 1) / alignment * alignment;

    /// <summary>MarkAllocationLifetimes and MarkSubgraphLifetimesIfNecessary.</summary>
    private sealed class ScopeMarker(EquatableArray<Graph> graphs, int[][] orders, List<Entry> entries, int[] firstTensor,
        Dictionary<(int, int), List<int>> scratchOf, List<TflmEstimateReason> estimates)
    {
        // TFLM recurses without a limit; a subgraph that calls itself would never return there.
        private const int MaxDepth = 64;
        // Each call re-marks the called subgraph, so a chain of subgraphs that each call the next
        // twice (WHILE's cond and body) grows as 2^depth: a malformed model must not take hours.
        private const int MaxMarks = 10_000;
        private int _scope;
        private int _depth;
        private int _marks;
        private readonly HashSet<int> _active = [];

        public int[] MainStepScopes { get; } = new int[orders[0].Length];

        public int Scope => _scope;

        public void Mark(int g)
        {
            if (_active.Contains(g))
            {
                // TFLM would recurse forever (fuzz: a WHILE whose cond and body are its own subgraph).
                estimates.Add(new TflmEstimateReason("subgraph", $"subgraph{g}", "calls itself through control flow (TFLM would never return); its lifetimes are marked once"));
                return;
            }
            if (++_marks > MaxMarks)
            {
                if (_marks == MaxMarks + 1)
                    estimates.Add(new TflmEstimateReason("subgraph", $"subgraph{g}", $"control flow enters subgraphs more than {MaxMarks:N0} times; lifetimes beyond are not marked"));
                return;
            }
            if (++_depth > MaxDepth)
            {
                estimates.Add(new TflmEstimateReason("subgraph", $"subgraph{g}", $"control flow nests deeper than {MaxDepth} subgraphs; lifetimes beyond are not marked"));
                _depth--;
                return;
            }
            _active.Add(g);
            var graph = graphs[g];
            Entry TensorEntry(string name) => entries[firstTensor[g] + graph.TensorIndex(name)];
            foreach (var input in graph.Inputs)
            {
                var e = TensorEntry(input);
                e.Created(_scope);
                e.Used(_scope);
            }
            for (int step = 0; step < orders[g].Length; step++)
            {
                _scope++;
                if (_depth == 1 && g == 0) MainStepScopes[step] = _scope;
                var op = graph.Operators[orders[g][step]];
                foreach (var o in op.PresentOutputs) TensorEntry(o).Created(_scope);
                int start = _scope;
                foreach (var called in CalledSubgraphs(op))
                {
                    if (called < 0 || called >= graphs.Count)
                    {
                        estimates.Add(new TflmEstimateReason(op.OpType, $"subgraph{g}/op{orders[g][step]}", $"calls subgraph {called}, which does not exist"));
                        continue;
                    }
                    _scope++;
                    Mark(called);
                }
                foreach (var i in op.PresentInputs) TensorEntry(i).Used(_scope);
                foreach (var o in op.PresentOutputs) TensorEntry(o).Used(_scope);
                if (scratchOf.TryGetValue((g, step), out var scratch))
                {
                    foreach (var s in scratch) { entries[s].Created(start); entries[s].Used(_scope); }
                }
            }
            foreach (var output in graph.Outputs)
            {
                var e = TensorEntry(output);
                e.Created(_scope);
                e.Used(_scope);
            }
            _depth--;
            _active.Remove(g);
        }

        private static IEnumerable<int> CalledSubgraphs(Operator op)
        {
            string[] fields = op.OpType switch
            {
                "IF" => ["then_subgraph_index", "else_subgraph_index"],
                "WHILE" => ["cond_subgraph_index", "body_subgraph_index"],
                "CALL_ONCE" => ["init_subgraph_index"],
                _ => [],
            };
            foreach (var f in fields)
                if (op.Attributes[f]?.AsInt() is { } index) yield return (int)index;
        }
    }
}
