using GraphDsl.Analysis;
using GraphDsl.Ir;
using GraphDsl.Loading;
using GraphDsl.Scheduling;
using GraphDsl.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace GraphDsl.ArenaPlanning.Tests;

/// <summary>Every corpus model, in its stored order and in the order the order search finds: the
/// plan verifies, and its arena lies between the in-place-adjusted liveness peak and TFLite
/// Micro's greedy arena. Each run writes one table row to the test output.</summary>
public sealed class CorpusArenaTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Models() =>
        CorpusModels.TheoryData(".tflite").Concat(CorpusModels.TheoryData(".onnx"));

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void StoredOrderPlanIsBetweenAdjustedPeakAndTfliteMicroAndVerifies(string file)
    {
        var graph = Load(file);
        var plan = CheckPlan(file, "stored", graph, null);
        Assert.Equal(ExecutionOrder.Stored(graph), plan.Order);
    }

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void SearchedOrderPlanIsBetweenAdjustedPeakAndTfliteMicroAndVerifies(string file)
    {
        var graph = Load(file);
        var search = OrderSearch.Run(MemoryProblem.Create(graph), new OrderSearchOptions { TimeBudget = TimeSpan.FromSeconds(2) });
        var plan = CheckPlan(file, "searched", graph, search.Order);
        Assert.Equal(search.PeakBytes, plan.PeakBytes);
    }

    private static Graph Load(string file)
    {
        var path = CorpusModels.PathOf(file);
        var loaded = ModelLoader.Load(path);
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
        return loaded.Model!.Main;
    }

    private ArenaPlan CheckPlan(string file, string orderName, Graph graph, int[]? order)
    {
        var bag = new GraphDsl.Ir.Diagnostics.DiagnosticBag();
        var plan = ArenaPlanner.Plan(graph, order, new ArenaPlanOptions(BudgetMilliseconds: 1000), bag, null);
        Assert.True(plan is not null, string.Join("\n", bag));
        var problem = MemoryProblem.Create(graph);
        Assert.Empty(PlanProperties.Verify(problem, plan!));
        // Never worse under TFLM: the head TFLM plans for what gets written is at most its own plan
        // of the input. A plan placed around TFLM's scratch buffers may put activations above them.
        Assert.True(plan!.Tflm!.Predicted.HeadBytes <= plan.Tflm.Stored.HeadBytes,
            $"TFLM head {plan.Tflm.Predicted.HeadBytes} > TFLM's own plan of the input {plan.Tflm.Stored.HeadBytes}");
        if (plan.Tflm.OfflinePlan != TflmOfflinePlan.GraphDslWithScratch)
            Assert.True(plan.ArenaBytes <= plan.TflmGreedyArenaBytes, $"arena {plan.ArenaBytes} > TFLM greedy {plan.TflmGreedyArenaBytes}");
        Assert.True(plan.ArenaBytes >= plan.AdjustedPeakBytes, $"arena {plan.ArenaBytes} < adjusted peak {plan.AdjustedPeakBytes}");
        Assert.True(plan.TflmGreedyArenaBytes >= plan.PeakBytes);
        output.WriteLine($"| {file} | {orderName} | {plan.PeakBytes} | {plan.AdjustedPeakBytes} | {plan.ArenaBytes} | {plan.TflmGreedyArenaBytes} | {plan.Strategy} | {plan.ProvenMinimal} |");
        return plan;
    }
}
