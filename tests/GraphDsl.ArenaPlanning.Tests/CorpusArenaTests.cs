using GraphDsl.Analysis;
using GraphDsl.Loading;
using GraphDsl.TestKit;
using Xunit;

namespace GraphDsl.ArenaPlanning.Tests;

/// <summary>Every corpus model in its stored order: the plan verifies, and its arena lies between
/// the in-place-adjusted liveness peak and TFLite Micro's greedy arena.</summary>
public sealed class CorpusArenaTests
{
    public static IEnumerable<object[]> Models() =>
        CorpusModels.TheoryData(".tflite").Concat(CorpusModels.TheoryData(".onnx"));

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void StoredOrderPlanIsBetweenAdjustedPeakAndTfliteMicroAndVerifies(string file)
    {
        var path = CorpusModels.PathOf(file);
        var loaded = ModelLoader.Load(path);
        Skip.If(loaded.Diagnostics.Any(d => d.Id == ModelLoader.UnknownExtension.Id),
            $"No importer for {file} is integrated yet ({string.Join(", ", ModelLoader.SupportedExtensions)}).");
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
        var graph = loaded.Model!.Main;
        var (problem, plan) = PlanProperties.Plan(graph, "auto", ReuseKinds.All);
        Assert.Equal(ExecutionOrder.Stored(graph), plan.Order);
        Assert.Empty(PlanProperties.Verify(problem, plan));
        Assert.True(plan.ArenaBytes <= plan.TflmGreedyArenaBytes, $"arena {plan.ArenaBytes} > TFLM greedy {plan.TflmGreedyArenaBytes}");
        Assert.True(plan.ArenaBytes >= plan.AdjustedPeakBytes, $"arena {plan.ArenaBytes} < adjusted peak {plan.AdjustedPeakBytes}");
        Assert.True(plan.TflmGreedyArenaBytes >= plan.PeakBytes);
    }
}
