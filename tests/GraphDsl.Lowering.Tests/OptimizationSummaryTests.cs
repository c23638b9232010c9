using GraphDsl.Reports;
using GraphDsl.Analysis;
using System.Text.Json;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using Xunit;

namespace GraphDsl.Lowering.Tests;

public sealed class OptimizationSummaryTests
{
    /// <summary>Peak of live bytes, computed here step by step from the edges.</summary>
    internal static long BrutePeak(Graph g, int[] order)
    {
        long peak = 0;
        for (int s = 0; s < order.Length; s++)
        {
            long alive = 0;
            foreach (var t in g.Tensors.Where(t => t.IsActivation))
            {
                int made = Enumerable.Range(0, order.Length).FirstOrDefault(k => g.Operators[order[k]].Outputs.Contains(t.Name), -1);
                int used = Enumerable.Range(0, order.Length).LastOrDefault(k => g.Operators[order[k]].Inputs.Contains(t.Name), -1);
                int first = made < 0 ? 0 : made;
                int last = g.Outputs.Contains(t.Name) ? order.Length - 1 : Math.Max(first, used);
                if (first <= s && s <= last) alive += t.ByteSize!.Value;
            }
            peak = Math.Max(peak, alive);
        }
        return peak;
    }

    [Fact]
    public void Figures_match_an_independent_count_and_the_json_has_the_documented_keys()
    {
        int[] better = [0, 2, 3, 4, 1, 5, 6];
        var cell = PlannedGraphs.InceptionCell();
        var stored = PlannedGraphs.PlanStored(cell);
        var optimized = PlannedGraphs.Plan(cell, better) with
        {
            Annotations = PlannedGraphs.Plan(cell, better).Annotations.With("order_search",
                PlannedGraphs.Record(("proven_optimal", true), ("search_ms", 3.5))),
        };
        var plan = LoweringPlan.TryRead(optimized, null, new DiagnosticBag())!;
        var s = OptimizationSummary.Compute("cell", stored, plan.Graph);

        Assert.Equal(BrutePeak(cell, [0, 1, 2, 3, 4, 5, 6]), s.Stored.PeakBytes);
        Assert.Equal(BrutePeak(cell, better), s.Optimized.PeakBytes);
        Assert.True(s.Optimized.PeakBytes < s.Stored.PeakBytes);
        Assert.Equal(8, s.ActivationTensors);
        // Largest operator footprint: the 1x1 expand reads stem (4096) and writes b2a (8192).
        Assert.Equal(4096 + 8192, s.LargestOperatorBytes);

        using var json = JsonDocument.Parse(OptimizationSummaryJson.Render(s));
        var root = json.RootElement;
        Assert.Equal(7, root.GetProperty("operators").GetInt32());
        Assert.Equal(8, root.GetProperty("activation_tensors").GetInt32());
        Assert.Equal(s.LargestOperatorBytes, root.GetProperty("largest_operator_bytes").GetInt64());
        Assert.Equal(s.Stored.PeakBytes, root.GetProperty("stored").GetProperty("peak_bytes").GetInt64());
        Assert.Equal(s.Stored.ArenaBytes, root.GetProperty("stored").GetProperty("arena_bytes").GetInt64());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("stored").GetProperty("tflm_greedy_arena_bytes").ValueKind);
        Assert.Equal(plan.ArenaBytes, root.GetProperty("optimized").GetProperty("arena_bytes").GetInt64());
        Assert.True(root.GetProperty("optimized").GetProperty("order_proven_optimal").GetBoolean());
        Assert.Equal(3.5, root.GetProperty("optimized").GetProperty("search_ms").GetDouble());
        Assert.Contains("peak live activations", OptimizationSummaryText.Table(s));
    }
}
