using GraphDsl.Ir.Diagnostics;

[assembly: DiagnosticRange("GD1101", "GD1199")]

namespace GraphDsl.Ir;

/// <summary>Checks the structural invariants every pass relies on and reports violations as
/// <c>GD11xx</c> diagnostics. Runs in time linear in the size of the model, because the pass
/// manager runs it after every pass.</summary>
/// <remarks>
/// Checks, per graph: 1. tensor names unique; 2. graph inputs and outputs name tensors, each
/// once; 3. every operand names a tensor, no operator reads its own output, no tensor has two
/// producers, no constant is produced; 4. the operators form no cycle (Kahn's algorithm; the
/// operators left over are walked depth-first to name the tensors on one cycle); 5. every tensor's
/// size is representable (<see cref="TensorType.SizeProblem"/>), so that no pass computes sizes
/// that overflow.
/// Locations come from <see cref="Origin"/>; nodes without one (built in code) get a
/// <see cref="ModelLocation"/> naming the graph and operator index.
/// </remarks>
public static class IrVerifier
{
    public static readonly DiagnosticDescriptor UndefinedTensor = new("GD1101", Severity.Error, "{0} refers to tensor '{1}', which graph '{2}' does not declare");
    public static readonly DiagnosticDescriptor DuplicateTensor = new("GD1102", Severity.Error, "tensor '{0}' is declared twice in graph '{1}'");
    public static readonly DiagnosticDescriptor OutputIsInput = new("GD1103", Severity.Error, "operator {0} writes tensor '{1}', which it also reads");
    public static readonly DiagnosticDescriptor TwoProducers = new("GD1104", Severity.Error, "tensor '{0}' is written by two operators ({1} and {2})");
    public static readonly DiagnosticDescriptor Cycle = new("GD1105", Severity.Error, "graph '{0}' has a cycle through tensors {1}");
    public static readonly DiagnosticDescriptor DuplicateGraphOperand = new("GD1106", Severity.Error, "graph '{0}' lists {1} '{2}' twice");
    public static readonly DiagnosticDescriptor UndefinedGraphOperand = new("GD1107", Severity.Error, "graph '{0}' {1} '{2}' is not a tensor of the graph");
    public static readonly DiagnosticDescriptor ProducedConstant = new("GD1108", Severity.Error, "constant tensor '{0}' is written by operator {1}");
    public static readonly DiagnosticDescriptor DuplicateGraph = new("GD1109", Severity.Error, "graph name '{0}' is used twice");
    public static readonly DiagnosticDescriptor BadTensorSize = new("GD1110", Severity.Error, "tensor '{0}' cannot be planned: {1} ({2})");
    public static readonly DiagnosticDescriptor UntypedResult = new("GD1111", Severity.Error,
        "the result '{0}' of operator {1} has no type: write '{0}: TYPE = {2}(...)' (e.g. {0}: f32[1,8]) or declare 'tensor {0}: TYPE'");

    public static IReadOnlyList<Diagnostic> Verify(Model model)
    {
        var diagnostics = new List<Diagnostic>();
        var path = model.Origin.Location?.Path ?? "model";
        var graphNames = new Dictionary<string, Graph>(StringComparer.Ordinal);
        foreach (var graph in model.Graphs)
        {
            if (!graphNames.TryAdd(graph.Name, graph))
                diagnostics.Add(Diagnostic.Create(DuplicateGraph, graph.Origin.Location ?? new ModelLocation(path, "graph '" + graph.Name + "'"), graph.Name)
                    with { Notes = [(graphNames[graph.Name].Origin.Location, "first declared here")] });
            new GraphChecks(graph, path, diagnostics).Run();
        }
        return diagnostics;
    }

    public static IReadOnlyList<Diagnostic> Verify(Graph graph) => Verify(Model.Of(graph));

    /// <summary>Where operator <paramref name="op"/> of <paramref name="graph"/> is: its source
    /// span, or (built in code) the graph and operator index in the model at <paramref name="path"/>.</summary>
    internal static Location LocationOf(Graph graph, int op, string path) =>
        graph.Operators[op].Origin.Location ?? new ModelLocation(path, $"graph '{graph.Name}'/op{op} {graph.Operators[op].OpType}");

    private sealed class GraphChecks(Graph graph, string path, List<Diagnostic> diagnostics)
    {
        private readonly Dictionary<string, int> _tensorIndex = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _producer = new(StringComparer.Ordinal);

        public void Run()
        {
            DeclaredOnce();
            Sizes();
            GraphOperands(graph.Inputs, "input", duplicatesAllowed: false);
            // TFLite lists a tensor twice among the outputs when a model returns it twice, and
            // TFLite and TFLM run such models; it is still one tensor with one lifetime.
            GraphOperands(graph.Outputs, "output", duplicatesAllowed: true);
            Operands();
            Acyclic();
        }

        private void DeclaredOnce()
        {
            for (int i = 0; i < graph.Tensors.Count; i++)
            {
                var t = graph.Tensors[i];
                if (_tensorIndex.TryAdd(t.Name, i)) continue;
                var first = graph.Tensors[_tensorIndex[t.Name]];
                Report(Diagnostic.Create(DuplicateTensor, TensorLocation(t, i), t.Name, graph.Name)
                    with { Notes = [(TensorLocation(first, _tensorIndex[t.Name]), "first declared here")] });
            }
        }

        private void Sizes()
        {
            for (int i = 0; i < graph.Tensors.Count; i++)
                if (graph.Tensors[i].Type.SizeProblem() is { } problem)
                    Report(Diagnostic.Create(BadTensorSize, TensorLocation(graph.Tensors[i], i), graph.Tensors[i].Name, problem, graph.Tensors[i].Type));
        }

        private void GraphOperands(EquatableArray<string> names, string role, bool duplicatesAllowed)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in names)
            {
                if (!seen.Add(name))
                {
                    if (!duplicatesAllowed) Report(Diagnostic.Create(DuplicateGraphOperand, GraphLocation(), graph.Name, role, name));
                }
                else if (!_tensorIndex.ContainsKey(name)) Report(Diagnostic.Create(UndefinedGraphOperand, GraphLocation(), graph.Name, role, name));
            }
        }

        private void Operands()
        {
            // An undeclared name that some operator writes is one mistake (its result has no
            // type), reported once at the writer, not again at every reader.
            var untyped = graph.Operators.SelectMany(o => o.PresentOutputs).Where(n => !_tensorIndex.ContainsKey(n)).ToHashSet(StringComparer.Ordinal);
            for (int op = 0; op < graph.Operators.Count; op++)
            {
                var o = graph.Operators[op];
                foreach (var input in o.PresentInputs)
                    if (!_tensorIndex.ContainsKey(input) && !untyped.Contains(input))
                        Report(Diagnostic.Create(UndefinedTensor, OperatorLocation(op), "operator " + Describe(op), input, graph.Name));
                foreach (var output in o.PresentOutputs)
                {
                    if (!_tensorIndex.TryGetValue(output, out var ti))
                        Report(Diagnostic.Create(UntypedResult, OperatorLocation(op), output, Describe(op), o.OpType));
                    else if (graph.Tensors[ti].Kind == TensorKind.Constant)
                        Report(Diagnostic.Create(ProducedConstant, OperatorLocation(op), output, Describe(op)));
                    if (o.Inputs.Contains(output)) Report(Diagnostic.Create(OutputIsInput, OperatorLocation(op), Describe(op), output));
                    if (!_producer.TryAdd(output, op))
                        Report(Diagnostic.Create(TwoProducers, OperatorLocation(op), output, Describe(_producer[output]), Describe(op))
                            with { Notes = [(OperatorLocation(_producer[output]), "first written here")] });
                }
            }
        }

        /// <summary>Kahn's algorithm over producer-to-consumer edges (self edges are reported by
        /// <see cref="Operands"/> and left out here).</summary>
        private void Acyclic()
        {
            int n = graph.Operators.Count;
            var successors = new List<int>[n];
            var indegree = new int[n];
            for (int op = 0; op < n; op++) successors[op] = new List<int>();
            for (int op = 0; op < n; op++)
            {
                // Each distinct producer counts once per consumer so that indegrees match the lists.
                var producers = new HashSet<int>();
                foreach (var input in graph.Operators[op].PresentInputs)
                    if (_producer.TryGetValue(input, out var p) && p != op && producers.Add(p))
                    {
                        successors[p].Add(op);
                        indegree[op]++;
                    }
            }
            var ready = new Queue<int>();
            for (int op = 0; op < n; op++) if (indegree[op] == 0) ready.Enqueue(op);
            int done = 0;
            while (ready.Count > 0)
            {
                var op = ready.Dequeue();
                done++;
                foreach (var s in successors[op]) if (--indegree[s] == 0) ready.Enqueue(s);
            }
            if (done == n) return;
            var cycle = FindCycle(successors, indegree);
            var tensors = new List<string>();
            for (int i = 0; i < cycle.Count; i++)
            {
                var from = cycle[i];
                var to = cycle[(i + 1) % cycle.Count];
                tensors.Add(graph.Operators[from].PresentOutputs.First(t => graph.Operators[to].Inputs.Contains(t)));
            }
            Report(Diagnostic.Create(Cycle, OperatorLocation(cycle[0]), graph.Name,
                string.Join(" -> ", tensors.Append(tensors[0]).Select(t => "'" + t + "'"))));
        }

        /// <summary>One cycle among the operators Kahn's algorithm could not schedule (indegree
        /// still positive), found by an iterative depth-first search; operators in order.</summary>
        private static List<int> FindCycle(List<int>[] successors, int[] indegree)
        {
            var state = new byte[successors.Length]; // 0 new, 1 on stack, 2 finished
            var stack = new List<(int Op, int Next)>();
            for (int root = 0; root < successors.Length; root++)
            {
                if (indegree[root] == 0 || state[root] != 0) continue;
                stack.Add((root, 0));
                state[root] = 1;
                while (stack.Count > 0)
                {
                    var (op, next) = stack[^1];
                    if (next == successors[op].Count)
                    {
                        state[op] = 2;
                        stack.RemoveAt(stack.Count - 1);
                        continue;
                    }
                    stack[^1] = (op, next + 1);
                    var s = successors[op][next];
                    if (indegree[s] == 0) continue;
                    if (state[s] == 1)
                    {
                        var start = stack.FindIndex(e => e.Op == s);
                        return stack.Skip(start).Select(e => e.Op).ToList();
                    }
                    if (state[s] == 0)
                    {
                        state[s] = 1;
                        stack.Add((s, 0));
                    }
                }
            }
            return [Array.FindIndex(indegree, d => d > 0)];
        }

        private void Report(Diagnostic d) => diagnostics.Add(d);

        private string Describe(int op) => $"#{op} {graph.Operators[op].OpType}";

        private Location GraphLocation() => graph.Origin.Location ?? new ModelLocation(path, $"graph '{graph.Name}'");

        private Location OperatorLocation(int op) => LocationOf(graph, op, path);

        private Location TensorLocation(Tensor t, int index) =>
            t.Origin.Location ?? new ModelLocation(path, $"graph '{graph.Name}'/tensor{index} '{t.Name}'");
    }
}
