using GraphDsl.Ir;

namespace GraphDsl.Passes.Tmm;

/// <summary>Which tensors count as activations. <c>tflm</c>: what TensorFlow Lite Micro puts in its
/// arena (every tensor without constant data that is not a variable). <c>persistent-dequantize</c>:
/// desktop TFLite, which computes the outputs of a DEQUANTIZE of constant weights once and keeps
/// them outside the per-inference working set (MediaPipe's fp16 models).</summary>
public static class ActivationView
{
    public const string Tflm = "tflm";
    public const string PersistentDequantize = "persistent-dequantize";

    public static readonly IReadOnlyList<string> Names = [Tflm, PersistentDequantize];

    /// <summary>The graph as the given view sees it, or null for an unknown view name.</summary>
    public static Graph? Apply(Graph graph, string view) => view switch
    {
        Tflm => graph,
        PersistentDequantize => WithPersistentDequantizeOutputs(graph),
        _ => null,
    };

    private static Graph WithPersistentDequantizeOutputs(Graph graph)
    {
        var persistent = new HashSet<string>(StringComparer.Ordinal);
        foreach (var op in graph.Operators)
        {
            if (!string.Equals(op.OpType, "DEQUANTIZE", StringComparison.OrdinalIgnoreCase)) continue;
            if (op.PresentInputs.All(i => graph.FindTensor(i) is { IsActivation: false }))
                persistent.UnionWith(op.PresentOutputs);
        }
        if (persistent.Count == 0) return graph;
        return graph with
        {
            Tensors = graph.Tensors.Select(t => persistent.Contains(t.Name) ? t with { Kind = TensorKind.Variable } : t).ToEquatableArray(),
        };
    }
}
