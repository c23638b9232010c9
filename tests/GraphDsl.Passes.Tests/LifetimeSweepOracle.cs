using GraphDsl.Ir;

namespace GraphDsl.Passes.Tests;

/// <summary>An independent TMM computation for tests, written from the definition and straight
/// from the IR (not from MemoryProblem/Liveness/MemoryProfile): for every step, walk every tensor
/// and ask whether it is alive then.</summary>
/// <remarks>Activation: not constant, not variable (TFLite Micro's arena). Alive: a graph input,
/// or a tensor nobody writes, from step -1 (before the first operator: TFLM's allocation scope 0,
/// micro_allocation_info.cc); otherwise from its producer's step. A tensor that nothing reads or
/// writes and that is neither input nor output lives at step -2 only (TFLM's uninitialized
/// lifetime: apart from everything else). Until the last step
/// for a graph output; otherwise until its last reader, or only its producer's step when unread.
/// An operator's inputs are its distinct activation operands; its outputs are the distinct written
/// activations it does not also read; other = alive - inputs - outputs. The peak and the bound
/// also count step -1, where every tensor alive from the start is alive.</remarks>
public static class LifetimeSweepOracle
{
    public sealed record Row(int Operator, long Inputs, long Outputs, long Other)
    {
        public long Total => Inputs + Outputs + Other;
    }

    /// <summary>TFLM's arena bytes (TfLiteTypeSizeOf, memory_helpers.cc): whole bytes per element,
    /// so int4 takes 1 byte per element.</summary>
    private static long TflmBytes(TensorType type) =>
        type.Shape.Dims.Aggregate(1L, (n, d) => n * d.Value!.Value) * ((type.ElementType.BitsPerElement() + 7) / 8);

    /// <summary>The activations alive at <paramref name="step"/> of <paramref name="order"/>, with their bytes.</summary>
    public static Dictionary<string, long> AliveAt(Graph g, int[] order, int step)
    {
        var (sizes, lifetime) = Lifetimes(g, order);
        return sizes.Where(t => lifetime[t.Key].From <= step && step <= lifetime[t.Key].To).ToDictionary(t => t.Key, t => t.Value);
    }

    public static (Row[] Rows, long Peak, long LowerBound) Compute(Graph g, int[] order)
    {
        int n = order.Length;
        var (sizes, lifetime) = Lifetimes(g, order);
        bool Alive(string tensor, int step) => lifetime[tensor].From <= step && step <= lifetime[tensor].To;

        var rows = new Row[n];
        long peak = Math.Max(sizes.Keys.Where(t => Alive(t, -1)).Sum(t => sizes[t]), sizes.Keys.Where(t => Alive(t, -2)).Sum(t => sizes[t]));
        long bound = peak;
        for (int s = 0; s < n; s++)
        {
            var op = g.Operators[order[s]];
            var reads = op.Inputs.Where(x => x is not null && sizes.ContainsKey(x)).Distinct().ToList();
            var writes = op.Outputs.Where(x => x is not null && sizes.ContainsKey(x)).Distinct().ToList();
            long inputs = reads.Sum(x => sizes[x!]);
            long outputs = writes.Where(x => !reads.Contains(x)).Sum(x => sizes[x!]);
            long alive = sizes.Keys.Where(t => Alive(t, s)).Sum(t => sizes[t]);
            rows[s] = new Row(order[s], inputs, outputs, alive - inputs - outputs);
            peak = Math.Max(peak, alive);
            bound = Math.Max(bound, inputs + outputs);
        }
        return (rows, peak, bound);
    }

    private static (Dictionary<string, long> Sizes, Dictionary<string, (int From, int To)> Lifetime) Lifetimes(Graph g, int[] order)
    {
        int n = order.Length;
        var stepOf = new Dictionary<int, int>();
        for (int s = 0; s < n; s++) stepOf[order[s]] = s;
        var sizes = g.Tensors.Where(t => t.Kind == TensorKind.Activation)
            .GroupBy(t => t.Name).ToDictionary(x => x.Key, x => TflmBytes(x.First().Type));
        // Lifetime of every activation, straight from the definition.
        var lifetime = new Dictionary<string, (int From, int To)>();
        foreach (var tensor in sizes.Keys)
        {
            int? producerStep = null;
            int lastRead = -1;
            for (int op = 0; op < g.Operators.Count; op++)
            {
                if (producerStep is null && g.Operators[op].Outputs.Contains(tensor)) producerStep = stepOf[op];
                if (g.Operators[op].Inputs.Contains(tensor)) lastRead = Math.Max(lastRead, stepOf[op]);
            }
            int from = g.Inputs.Contains(tensor) || producerStep is null ? -1 : producerStep.Value;
            int to = g.Outputs.Contains(tensor) ? n - 1 : Math.Max(lastRead, from);
            bool untouched = producerStep is null && lastRead < 0 && !g.Inputs.Contains(tensor) && !g.Outputs.Contains(tensor);
            lifetime[tensor] = untouched ? (-2, -2) : (from, to);
        }
        return (sizes, lifetime);
    }
}
