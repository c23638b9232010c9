using GraphDsl.Analysis;
using GraphDsl.Analysis.Annotations;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Pipeline;

/// <summary>Execution orders given by users as text (operator indices, one per line or separated
/// by commas or spaces; <c>#</c> starts a comment), checked to be a topological order, and applied
/// to a graph as <c>@order</c> annotations.</summary>
public static class ExecutionOrderFile
{
    /// <summary>The order, or null with diagnostics pointing at the offending line and column.</summary>
    public static int[]? Parse(string text, string path, Graph graph, DiagnosticBag diagnostics)
    {
        var order = new List<int>();
        var lines = text.Split('\n');
        bool ok = true;
        for (int line = 0; line < lines.Length; line++)
        {
            var content = lines[line].Split('#')[0];
            int col = 0;
            foreach (var token in content.Split([',', ' ', '\t', '\r']))
            {
                if (token.Length > 0)
                {
                    if (int.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var op))
                        order.Add(op);
                    else
                    {
                        diagnostics.Report(PipelineDiagnostics.OrderFileEntry, new SourceSpan(path, line + 1, col + 1, token.Length), token);
                        ok = false;
                    }
                }
                col += token.Length + 1;
            }
        }
        if (!ok) return null;
        int n = graph.Operators.Count;
        var where = new SourceSpan(path, 1, 1);
        if (order.Count != n || order.Any(o => o >= n) || order.Distinct().Count() != n)
        {
            var missing = Enumerable.Range(0, n).Except(order).Take(5).ToList();
            var problem = order.Count != n ? $"lists {order.Count} operators, the graph has {n}"
                : order.FirstOrDefault(o => o >= n, -1) is var big and >= 0 ? $"operator {big} does not exist (the graph has {n})"
                : $"operators are repeated and {string.Join(", ", missing)} missing";
            diagnostics.Report(PipelineDiagnostics.OrderFileNotPermutation, where, problem);
            return null;
        }
        var step = new int[n];
        for (int s = 0; s < n; s++) step[order[s]] = s;
        for (int s = 0; s < n; s++)
        {
            foreach (var input in graph.Operators[order[s]].PresentInputs)
            {
                var producer = graph.ProducerOf(input);
                if (producer < 0 || producer == order[s] || step[producer] < s) continue;
                diagnostics.Report(PipelineDiagnostics.OrderFileNotTopological, where, order[s], s, input, producer);
                return null;
            }
        }
        return order.ToArray();
    }

    /// <summary>The graph with <c>@order(step)</c> on every operator for <paramref name="order"/>,
    /// or with every <c>@order</c> removed when <paramref name="order"/> is null (stored order);
    /// annotations computed for a different order are dropped (<see cref="ExecutionOrderAnnotation"/>).</summary>
    public static Graph Apply(Graph graph, IReadOnlyList<int>? order) =>
        order is null ? ExecutionOrderAnnotation.Strip(graph) : ExecutionOrderAnnotation.Write(graph, order);
}
