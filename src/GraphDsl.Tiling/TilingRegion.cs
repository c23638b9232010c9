using GraphDsl.Ir;

namespace GraphDsl.Tiling;

/// <summary>A region to run band by band: the operators between one input tensor and one output
/// tensor of the main graph, the only two activations that cross its boundary.</summary>
/// <param name="Input">The tensor the region reads (produced before it, or a graph input).</param>
/// <param name="Output">The tensor the region writes; its consumers stay as they are.</param>
/// <param name="Operators">Indices of the region's operators in the graph's stored order, ascending.</param>
/// <param name="Rules">The band rule of each operator, in the same order.</param>
public sealed record TilingRegion(string Input, string Output, IReadOnlyList<int> Operators, IReadOnlyList<BandRule> Rules)
{
    /// <summary>The layout its tensors and operators are in (TFLite NHWC unless said).</summary>
    public BandLayout Layout { get; init; } = BandLayout.Nhwc;

    /// <summary>The region of the operators from <paramref name="input"/> to <paramref name="output"/>
    /// (walking back from the output's producer through activation inputs until the input), or
    /// null with the reason: another activation crosses the boundary, an inner tensor is read
    /// outside the region or is a graph output, or an operator cannot be cut into row bands
    /// (<see cref="BandRules.Describe(Graph, Operator, BandLayout, out string?)"/>).</summary>
    public static TilingRegion? Between(Graph graph, string input, string output, out string? why) =>
        Between(graph, input, output, BandLayout.Nhwc, out why);

    /// <summary>The region of the operators from <paramref name="input"/> to <paramref name="output"/>
    /// in <paramref name="layout"/>, or null with the reason (as above).</summary>
    public static TilingRegion? Between(Graph graph, string input, string output, BandLayout layout, out string? why)
    {
        why = null;
        if (input == output) { why = "input and output are the same tensor"; return null; }
        if (graph.FindTensor(input) is not { IsActivation: true } x || !BandLayout.IsBatch1(x.Type.Shape)) { why = $"'{input}' is not an {layout.Name} batch-1 activation"; return null; }
        if (graph.ProducerOf(output) < 0) { why = $"nothing writes '{output}'"; return null; }
        var members = new SortedSet<int>();
        var stack = new Stack<string>([output]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (stack.Count > 0)
        {
            var t = stack.Pop();
            if (t == input || !seen.Add(t)) continue;
            int producer = graph.ProducerOf(t);
            if (producer < 0) { why = $"'{t}' enters the region besides '{input}'"; return null; }
            members.Add(producer);
            foreach (var name in graph.Operators[producer].PresentInputs)
                if (graph.FindTensor(name) is { IsActivation: true }) stack.Push(name);
        }
        var ops = members.ToArray();
        var inner = new HashSet<int>(ops);
        var rules = new List<BandRule>();
        foreach (var i in ops)
        {
            var op = graph.Operators[i];
            var rule = BandRules.Describe(graph, op, layout, out var whyNot);
            if (rule is null) { why = $"{op.OpType} writing '{op.PresentOutputs.FirstOrDefault()}': {whyNot}"; return null; }
            rules.Add(rule);
            var produced = op.PresentOutputs.First();
            if (produced == output) continue;
            if (graph.Outputs.Contains(produced)) { why = $"'{produced}' inside the region is a graph output"; return null; }
            if (graph.ConsumersOf(produced).Any(c => !inner.Contains(c))) { why = $"'{produced}' inside the region is read outside it"; return null; }
        }
        return new TilingRegion(input, output, ops, rules) { Layout = layout };
    }
}
