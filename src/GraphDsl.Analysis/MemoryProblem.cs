using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Analysis;

/// <summary>The activation-memory view of a graph, as integer arrays: which tensors live in the
/// arena, how big they are, who produces and who consumes them. Order search, the memory report
/// and arena planning all work on this one view, so they agree on what "memory" means.</summary>
/// <remarks>
/// Activations are what TensorFlow Lite Micro places in its arena: every tensor that is neither
/// backed by constant data nor a variable, graph inputs and outputs included (so the outputs of a
/// DEQUANTIZE of fp16 weights are activations). Operator indices are positions in
/// <see cref="Graph.Operators"/>; tensor ids are positions in <see cref="Tensors"/>.
/// </remarks>
public sealed class MemoryProblem : IGraphAnalysis<MemoryProblem>
{
    private MemoryProblem(Graph graph, int[] tensors, long[] sizes, int[] producer, int[][] consumers,
        bool[] isInput, bool[] isOutput, int[][] opInputs, int[][] opOutputs)
    {
        Graph = graph;
        Tensors = tensors;
        Size = sizes;
        Producer = producer;
        Consumers = consumers;
        IsGraphInput = isInput;
        IsGraphOutput = isOutput;
        OperatorInputs = opInputs;
        OperatorOutputs = opOutputs;
    }

    public Graph Graph { get; }

    public int OperatorCount => OperatorInputs.Length;

    public int TensorCount => Tensors.Length;

    /// <summary>For each activation id, its index in <see cref="Graph.Tensors"/>.</summary>
    public int[] Tensors { get; }

    /// <summary>Bytes of each activation in the target runtime's arena (<see cref="RuntimeTensorBytes"/>).</summary>
    public long[] Size { get; }

    /// <summary>The operator writing each activation, or -1 (graph inputs, never-written tensors).</summary>
    public int[] Producer { get; }

    /// <summary>Distinct operators reading each activation, ascending.</summary>
    public int[][] Consumers { get; }

    public bool[] IsGraphInput { get; }

    public bool[] IsGraphOutput { get; }

    /// <summary>Distinct activation ids each operator reads.</summary>
    public int[][] OperatorInputs { get; }

    /// <summary>Distinct activation ids each operator writes.</summary>
    public int[][] OperatorOutputs { get; }

    public string TensorName(int id) => Graph.Tensors[Tensors[id]].Name;

    /// <summary>Builds the view, or returns null and lists the activations that have no arena
    /// size (unknown dims, strings; <see cref="WhyUnsized"/> says which): memory cannot be planned
    /// for those.</summary>
    public static MemoryProblem? TryCreate(Graph graph, out IReadOnlyList<Tensor> unsized)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var tensors = new List<int>();
        var sizes = new List<long>();
        var missing = new List<Tensor>();
        for (int i = 0; i < graph.Tensors.Count; i++)
        {
            var t = graph.Tensors[i];
            if (!t.IsActivation || ids.ContainsKey(t.Name)) continue;
            if (RuntimeTensorBytes.Of(t.Type) is not { } size) { missing.Add(t); continue; }
            ids[t.Name] = tensors.Count;
            tensors.Add(i);
            sizes.Add(size);
        }
        unsized = missing;
        if (missing.Count > 0) return null;

        int n = tensors.Count, ops = graph.Operators.Count;
        var producer = Enumerable.Repeat(-1, n).ToArray();
        var consumers = new List<int>[n];
        for (int t = 0; t < n; t++) consumers[t] = new List<int>();
        var opInputs = new int[ops][];
        var opOutputs = new int[ops][];
        for (int op = 0; op < ops; op++)
        {
            var o = graph.Operators[op];
            opInputs[op] = o.PresentInputs.Where(ids.ContainsKey).Select(x => ids[x]).Distinct().ToArray();
            opOutputs[op] = o.PresentOutputs.Where(ids.ContainsKey).Select(x => ids[x]).Distinct().ToArray();
            foreach (var t in opInputs[op]) consumers[t].Add(op);
            foreach (var t in opOutputs[op]) if (producer[t] < 0) producer[t] = op;
        }
        var isInput = new bool[n];
        var isOutput = new bool[n];
        foreach (var name in graph.Inputs) if (ids.TryGetValue(name, out var id)) isInput[id] = true;
        foreach (var name in graph.Outputs) if (ids.TryGetValue(name, out var id)) isOutput[id] = true;
        return new MemoryProblem(graph, tensors.ToArray(), sizes.ToArray(), producer,
            consumers.Select(c => c.ToArray()).ToArray(), isInput, isOutput, opInputs, opOutputs);
    }

    /// <summary>The view of the model's main graph, for <see cref="AnalysisCache"/>; null after
    /// reporting the unsized activations as one GD3051.</summary>
    public static MemoryProblem? Compute(Model model, AnalysisCache analyses, DiagnosticBag diagnostics)
    {
        var problem = TryCreate(model.Main, out var unsized);
        if (problem is null) AnalysisDiagnostics.ReportUnsized(model.Main, unsized, diagnostics);
        return problem;
    }
    /// <summary>Why an activation listed as unsized by <see cref="TryCreate"/> has no arena size,
    /// in words for a diagnostic.</summary>
    public static string WhyUnsized(Tensor tensor) => RuntimeTensorBytes.WhyUnsized(tensor.Type) ?? "its size is unknown";

    /// <summary>Builds the view; throws when some activation has no known size (callers that
    /// take user input use <see cref="TryCreate"/> and report the tensors instead).</summary>
    public static MemoryProblem Create(Graph graph) =>
        TryCreate(graph, out var unsized) ?? throw new InvalidOperationException(
            $"Activation tensors without a known size: {string.Join(", ", unsized.Take(5).Select(t => t.Name))}");

    /// <summary>True when the tensor is live for the whole run: a graph input lives from the start,
    /// and a tensor nobody writes (not a graph input either) must also exist from the start.</summary>
    public bool LivesFromStart(int tensor) => IsGraphInput[tensor] || Producer[tensor] < 0;

    /// <summary>True when nothing reads or writes the tensor and it is neither a graph input nor
    /// output (a leftover of conversion): it holds no data, yet TFLite Micro allocates it.</summary>
    public bool IsUntouched(int tensor) =>
        Producer[tensor] < 0 && Consumers[tensor].Length == 0 && !IsGraphInput[tensor] && !IsGraphOutput[tensor];
}
