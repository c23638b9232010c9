using GraphDsl.Analysis;
using GraphDsl.Analysis.Annotations;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Lowering;

/// <summary>What lowering needs from a planned graph, read from its annotations: the execution
/// order (<c>@order</c>), every activation's place in the arena (<c>@arena</c>, or <c>@alias</c>
/// onto a placed tensor) and the arena size (<c>@arena_plan(arena_bytes=..)</c>, else the end of
/// the highest tensor).</summary>
/// <remarks>Reading checks only what lowering itself relies on (a complete permutation that is a
/// topological order, a place for every activation). Whether tensors alive at the same time
/// overlap is the job of the <c>verify</c> pass, which runs before <c>lower</c>.</remarks>
public sealed class LoweringPlan
{
    private LoweringPlan(Graph graph, MemoryProblem problem, int[] order, IReadOnlyList<TensorPlacement> placements, long arenaBytes)
    {
        Graph = graph;
        Problem = problem;
        Order = order;
        Placements = placements;
        ArenaBytes = arenaBytes;
    }

    public Graph Graph { get; }

    public MemoryProblem Problem { get; }

    /// <summary><c>Order[step]</c> is the index in <c>Graph.Operators</c> of the operator run at that step.</summary>
    public IReadOnlyList<int> Order { get; }

    /// <summary>One entry per activation tensor, in tensor-table order.</summary>
    public IReadOnlyList<TensorPlacement> Placements { get; }

    public long ArenaBytes { get; }

    /// <summary>The arena offset of every tensor of the graph by table index, -1 for tensors that
    /// are not activations (constants and variables are not in the arena).</summary>
    public int[] OffsetsByTensorIndex()
    {
        var offsets = Enumerable.Repeat(-1, Graph.Tensors.Count).ToArray();
        foreach (var p in Placements) offsets[p.TensorIndex] = checked((int)p.Offset);
        return offsets;
    }

    /// <summary>The graph with its operators stored in execution order (annotations kept, so each
    /// <c>@order(k)</c> now sits on the k-th operator); tensors keep their table order.</summary>
    public Graph StoredInExecutionOrder() =>
        Order.Select((op, step) => op == step).All(x => x)
            ? Graph
            : Graph with { Operators = Order.Select(op => Graph.Operators[op]).ToEquatableArray() };

    /// <summary>Reads the plan, or reports why it cannot and returns null.</summary>
    /// <param name="storedOrder">Plan for the stored operator order and ignore <c>@order</c>
    /// (for the "before" picture of a model planned without reordering).</param>
    public static LoweringPlan? TryRead(Graph graph, string? path, DiagnosticBag diagnostics, bool storedOrder = false)
    {
        var problem = MemoryProblem.TryCreate(graph, out var unsized);
        if (problem is null)
        {
            AnalysisDiagnostics.ReportUnsized(graph, unsized, diagnostics);
            return null;
        }
        return TryRead(problem, path, diagnostics, storedOrder);
    }

    /// <summary>Reads the plan of <paramref name="problem"/>'s graph (the activation view from the
    /// analysis cache), or reports why it cannot and returns null.</summary>
    public static LoweringPlan? TryRead(MemoryProblem problem, string? path, DiagnosticBag diagnostics, bool storedOrder = false)
    {
        var graph = problem.Graph;
        var order = storedOrder ? ExecutionOrder.Stored(graph) : ReadOrder(graph, problem, path, diagnostics);
        if (order is null) return null;
        var live = Liveness.Compute(problem, order);

        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int id = 0; id < problem.TensorCount; id++) byName[problem.TensorName(id)] = id;
        var offsets = new long?[problem.TensorCount];
        var aliasOf = new string?[problem.TensorCount];
        bool ok = true;
        for (int id = 0; id < problem.TensorCount; id++)
        {
            var tensor = graph.Tensors[problem.Tensors[id]];
            var resolved = ResolveOffset(graph, tensor, out aliasOf[id], out var problemText);
            if (resolved is null)
            {
                ok = false;
                if (problemText is null) diagnostics.Report(LoweringDiagnostics.MissingPlacement, Where(tensor.Origin, path), tensor.Name);
                else diagnostics.Report(LoweringDiagnostics.BadAlias, Where(tensor.Origin, path), tensor.Name, problemText);
            }
            offsets[id] = resolved;
        }
        if (!ok) return null;

        var placements = new TensorPlacement[problem.TensorCount];
        for (int id = 0; id < problem.TensorCount; id++)
            placements[id] = new TensorPlacement(problem.Tensors[id], problem.TensorName(id), offsets[id]!.Value,
                problem.Size[id], aliasOf[id], live.First[id], live.Last[id]);

        long highest = placements.Length == 0 ? 0 : placements.Max(p => p.End);
        long arenaBytes = highest;
        if (ArenaAnnotation.ArenaBytes(graph) is { } declared)
        {
            var top = placements.FirstOrDefault(p => p.End > declared);
            if (top is not null)
            {
                diagnostics.Report(LoweringDiagnostics.ArenaTooSmall, Where(graph.Origin, path), declared, top.Name, top.End);
                return null;
            }
            arenaBytes = declared;
        }
        return new LoweringPlan(graph, problem, order, placements, arenaBytes);
    }

    private static int[]? ReadOrder(Graph graph, MemoryProblem problem, string? path, DiagnosticBag diagnostics)
    {
        var order = ExecutionOrderAnnotation.TryRead(graph, out var reason);
        if (order is null)
        {
            diagnostics.Report(LoweringDiagnostics.MissingOrder, Where(graph.Origin, path), graph.Name, reason ?? "no operator has @order");
            return null;
        }
        if (!ExecutionOrder.IsTopological(problem, order))
        {
            diagnostics.Report(LoweringDiagnostics.MissingOrder, Where(graph.Origin, path), graph.Name,
                "some tensor is read before the operator writing it runs");
            return null;
        }
        return order;
    }

    /// <summary>Follows <c>@alias</c> links (each adding its offset) to a tensor with <c>@arena</c>.</summary>
    private static long? ResolveOffset(Graph graph, Tensor tensor, out string? aliasOf, out string? problem)
    {
        aliasOf = null;
        problem = null;
        long added = 0;
        var visited = new HashSet<string>(StringComparer.Ordinal);
        for (var current = tensor; ;)
        {
            if (!visited.Add(current.Name)) { problem = "the aliases form a cycle"; return null; }
            if (ArenaAnnotation.ReadPlace(current) is { Offset: { } offset }) return offset + added;
            var alias = ArenaAnnotation.ReadAlias(current, out var malformed);
            if (malformed is not null) return Fail(out problem, malformed);
            if (alias is null) return current == tensor ? null : Fail(out problem, $"'{current.Name}' has no placement");
            aliasOf ??= alias.Of;
            added += alias.Offset;
            var next = graph.FindTensor(alias.Of);
            if (next is null) return Fail(out problem, $"no tensor '{alias.Of}'");
            current = next;
        }
    }

    private static long? Fail(out string? problem, string text)
    {
        problem = text;
        return null;
    }

    private static Location? Where(Origin origin, string? path) =>
        origin.Location ?? (path is null ? null : new ModelLocation(path, ""));
}
