using GraphDsl.Analysis;
using GraphDsl.Loading;
using GraphDsl.TestKit;
using Xunit;

namespace GraphDsl.Scheduling.Tests;

/// <summary>Every corpus model: the found order is topological, never worse than the stored
/// order, measured exactly by MemoryProfile, and proven optimal within the default budget.</summary>
public class CorpusOrderTests
{
    public static IEnumerable<object[]> Models() =>
        CorpusModels.TheoryData(".tflite").Concat(CorpusModels.TheoryData(".onnx"));

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void OrderIsProvenOptimalAndNoWorseThanStored(string fileName)
    {
        var path = CorpusModels.PathOf(fileName);
        var read = ModelLoader.Load(path);
        Assert.True(read.Succeeded, string.Join("\n", read.Diagnostics));
        var problem = MemoryProblem.TryCreate(read.Model!.Main, out var unsized);
        Assert.True(problem is not null, $"unsized activations: {string.Join(", ", unsized.Select(t => t.Name).Take(5))}");

        var result = OrderSearch.Run(problem!);

        Assert.True(ExecutionOrder.IsTopological(problem!, result.Order));
        Assert.Equal(MemoryProfile.Compute(problem!, result.Order).PeakBytes, result.PeakBytes);
        Assert.Equal(MemoryProfile.Compute(problem!, ExecutionOrder.Stored(problem!.Graph)).PeakBytes, result.StoredPeakBytes);
        Assert.True(result.PeakBytes <= result.StoredPeakBytes);
        Assert.True(result.ProvenOptimal, $"{result.Outcome}: peak {result.PeakBytes}, lower bound {result.ProvenLowerBoundBytes}");
    }
}
