using FsCheck.Xunit;
using Xunit;

namespace GraphDsl.ArenaPlanning.Tests;

/// <summary>Properties of every strategy and reuse setting on random graphs: the verifier accepts
/// the plan, the arena lies between the adjusted peak and what TFLite Micro's planner would need
/// (auto), and any offset moved onto a live neighbour is caught.</summary>
public sealed class RandomGraphPlanTests
{
    [Property(MaxTest = 25)]
    public void EveryStrategyAndReuseSettingProducesAVerifiedPlan(int seed)
    {
        var graph = RandomGraphs.Create(seed, 6 + Math.Abs(seed % 10));
        long naivePeak = PlanProperties.NaivePeak(graph);
        foreach (var strategy in ArenaStrategies.Names)
            foreach (var reuse in PlanProperties.ReuseSettings)
            {
                var (problem, plan) = PlanProperties.Plan(graph, strategy, reuse);
                Assert.Empty(PlanProperties.Verify(problem, plan));
                Assert.Equal(naivePeak, plan.PeakBytes);
                Assert.True(plan.ArenaBytes >= plan.AdjustedPeakBytes, $"{strategy}/{reuse}: arena {plan.ArenaBytes} < adjusted peak {plan.AdjustedPeakBytes}");
                Assert.True(plan.AdjustedPeakBytes <= plan.PeakBytes);
                if (reuse == ReuseKinds.None) Assert.Equal(plan.PeakBytes, plan.AdjustedPeakBytes);
                if (strategy == "auto") Assert.True(plan.ArenaBytes <= plan.TflmGreedyArenaBytes);
            }
    }

    [Property(MaxTest = 25)]
    public void MovingAnyOffsetOntoALiveNeighbourIsCaught(int seed)
    {
        var graph = RandomGraphs.Create(seed, 6 + Math.Abs(seed % 10));
        foreach (var reuse in new[] { ReuseKinds.None, ReuseKinds.All })
        {
            var (problem, plan) = PlanProperties.Plan(graph, "auto", reuse);
            var live = GraphDsl.Analysis.Liveness.Compute(problem, plan.Order);
            var layout = plan.ToLayout(problem.Size);
            for (int t = 0; t < problem.TensorCount; t++)
                for (int u = 0; u < problem.TensorCount; u++)
                {
                    if (t == u || !live.Overlap(t, u) || SharesBytes(layout, problem.Size, t, u)) continue;
                    var moved = (long?[])layout.Offset.Clone();
                    moved[t] = layout.Offset[u];
                    var corrupted = layout with { Offset = moved };
                    Assert.NotEmpty(ArenaPlanVerifier.Verify(problem, plan.Order, corrupted));
                }
        }
    }

    private static bool SharesBytes(ArenaLayout layout, long[] size, int a, int b) =>
        layout.Offset[a] < layout.Offset[b] + size[b] && layout.Offset[b] < layout.Offset[a] + size[a];
}
