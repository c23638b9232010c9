using System.Runtime.CompilerServices;

namespace GraphDsl.Ir;

/// <summary>A computation graph: tensors in table order, operators in stored (execution) order,
/// and the graph's inputs and outputs by tensor name.</summary>
/// <remarks>Immutable. Lookups by name are computed once per instance and cached outside the
/// record, so <c>with</c> copies never see a stale index and equality stays structural.</remarks>
public sealed record Graph(
    string Name,
    EquatableArray<Tensor> Tensors,
    EquatableArray<Operator> Operators,
    EquatableArray<string> Inputs,
    EquatableArray<string> Outputs)
{
    private static readonly ConditionalWeakTable<Graph, GraphIndex> Indexes = new();

    public AttributeMap Attributes { get; init; } = AttributeMap.Empty;

    public AttributeMap Annotations { get; init; } = AttributeMap.Empty;

    public Origin Origin { get; init; }

    private GraphIndex Index => Indexes.GetValue(this, g => new GraphIndex(g));

    /// <summary>The tensor called <paramref name="name"/>, or null. With duplicate names (an
    /// invalid graph) the first wins.</summary>
    public Tensor? FindTensor(string name) =>
        Index.TensorByName.TryGetValue(name, out var i) ? Tensors[i] : null;

    public Tensor Tensor(string name) =>
        FindTensor(name) ?? throw new KeyNotFoundException($"Graph '{Name}' has no tensor '{name}'.");

    /// <summary>Position of the tensor in <see cref="Tensors"/>, or -1.</summary>
    public int TensorIndex(string name) => Index.TensorByName.TryGetValue(name, out var i) ? i : -1;

    /// <summary>Index in <see cref="Operators"/> of the operator writing <paramref name="tensor"/>, or -1.</summary>
    public int ProducerOf(string tensor) => Index.Producer.TryGetValue(tensor, out var i) ? i : -1;

    /// <summary>Indices of the operators reading <paramref name="tensor"/>, in stored order, each once.</summary>
    public IReadOnlyList<int> ConsumersOf(string tensor) =>
        Index.Consumers.TryGetValue(tensor, out var list) ? list : Array.Empty<int>();

    private sealed class GraphIndex
    {
        public readonly Dictionary<string, int> TensorByName = new(StringComparer.Ordinal);
        public readonly Dictionary<string, int> Producer = new(StringComparer.Ordinal);
        public readonly Dictionary<string, List<int>> Consumers = new(StringComparer.Ordinal);

        public GraphIndex(Graph g)
        {
            for (int i = 0; i < g.Tensors.Count; i++) TensorByName.TryAdd(g.Tensors[i].Name, i);
            for (int op = 0; op < g.Operators.Count; op++)
            {
                foreach (var o in g.Operators[op].PresentOutputs) Producer.TryAdd(o, op);
                foreach (var input in g.Operators[op].PresentInputs)
                {
                    if (!Consumers.TryGetValue(input, out var list)) Consumers[input] = list = new List<int>();
                    if (list.Count == 0 || list[^1] != op) list.Add(op);
                }
            }
        }
    }
}
