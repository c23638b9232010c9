using GraphDsl.Analysis;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.ArenaPlanning.Tests;

/// <summary>Plans random graphs the way the tests need them: by strategy and reuse kinds.</summary>
internal static class PlanProperties
{
    public static readonly ReuseKinds[] ReuseSettings =
        [ReuseKinds.None, ReuseKinds.Views, ReuseKinds.InPlace, ReuseKinds.Concat, ReuseKinds.All];

    public static (MemoryProblem Problem, ArenaPlan Plan) Plan(Graph graph, string strategy, ReuseKinds reuse, long alignment = 16)
    {
        var bag = new DiagnosticBag();
        var plan = ArenaPlanner.Plan(graph, null, new ArenaPlanOptions(alignment, strategy, reuse, 200), bag, null);
        if (plan is null) throw new InvalidOperationException(string.Join("\n", bag));
        return (MemoryProblem.Create(graph), plan);
    }

    public static IReadOnlyList<Diagnostic> Verify(MemoryProblem problem, ArenaPlan plan) =>
        ArenaPlanVerifier.Verify(problem, plan.Order, plan.ToLayout(problem.Size));

    /// <summary>Bytes alive at the fullest step, counted straight from the tensors of the graph:
    /// a second computation of the liveness peak that does not use MemoryProfile.</summary>
    public static long NaivePeak(Graph graph)
    {
        var activations = graph.Tensors.Where(t => t.IsActivation).ToList();
        int steps = graph.Operators.Count;
        long peak = 0;
        for (int s = 0; s < steps; s++)
        {
            long alive = 0;
            foreach (var t in activations)
            {
                int producer = graph.ProducerOf(t.Name);
                int first = graph.Inputs.Contains(t.Name) || producer < 0 ? 0 : producer;
                var consumers = graph.ConsumersOf(t.Name);
                int last = graph.Outputs.Contains(t.Name) ? steps - 1 : Math.Max(first, consumers.Count == 0 ? first : consumers.Max());
                if (first <= s && s <= last) alive += t.ByteSize!.Value;
            }
            peak = Math.Max(peak, alive);
        }
        return peak;
    }
}
