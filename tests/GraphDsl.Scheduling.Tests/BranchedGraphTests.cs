using GraphDsl.Analysis;
using GraphDsl.TestKit.Generators;
using Xunit;

namespace GraphDsl.Scheduling.Tests;

/// <summary>Generated branched graphs of benchmark shape: valid orders, exact peaks, no worse
/// than stored, proven optimal; and on graphs small enough, the brute-force optimum.</summary>
public class BranchedGraphTests
{
    public static IEnumerable<object[]> Cases() =>
        from kind in BranchedGraphGenerator.Kinds
        from size in new[] { 100, 250 }
        select new object[] { kind, size };

    [Theory]
    [MemberData(nameof(Cases))]
    public void GeneratedGraphsAreOrderedOptimally(string kind, int operators)
    {
        var graph = BranchedGraphGenerator.Create(kind, operators, seed: 1);
        var problem = MemoryProblem.Create(graph);
        Assert.Equal(operators, problem.OperatorCount);
        Assert.True(ExecutionOrder.IsTopological(problem, ExecutionOrder.Stored(graph)));

        var result = OrderSearch.Run(problem);

        Assert.True(ExecutionOrder.IsTopological(problem, result.Order));
        Assert.Equal(MemoryProfile.Compute(problem, result.Order).PeakBytes, result.PeakBytes);
        Assert.True(result.PeakBytes <= result.StoredPeakBytes);
        Assert.True(result.ProvenOptimal, $"{result.Outcome}: peak {result.PeakBytes}, lower bound {result.LowerBoundBytes}");
    }

    [Theory]
    [InlineData("inception", 12)]
    [InlineData("densenet", 11)]
    [InlineData("randwire", 12)]
    public void SmallGeneratedGraphsMatchBruteForce(string kind, int operators)
    {
        for (int seed = 0; seed < 5; seed++)
        {
            var problem = MemoryProblem.Create(BranchedGraphGenerator.Create(kind, operators, seed));
            long optimum = BruteForceOrders.MinimumPeak(problem, out _);
            var result = OrderSearch.Run(problem);
            Assert.Equal(optimum, result.PeakBytes);
            Assert.True(result.ProvenOptimal);
        }
    }

    [Fact]
    public void StateLimitReturnsAValidOrderWithAProvenGap()
    {
        // A random-wired graph whose cheap bounds do not meet, searched with almost no states:
        // the result must still be a valid order, no worse than stored, with lower <= peak.
        for (int seed = 0; seed < 20; seed++)
        {
            var problem = MemoryProblem.Create(BranchedGraphGenerator.RandomWired(100, seed));
            var result = OrderSearch.Run(problem, new OrderSearchOptions { MaxStates = 3 });
            Assert.True(ExecutionOrder.IsTopological(problem, result.Order));
            Assert.Equal(MemoryProfile.Compute(problem, result.Order).PeakBytes, result.PeakBytes);
            Assert.True(result.LowerBoundBytes <= result.PeakBytes && result.PeakBytes <= result.StoredPeakBytes);
            if (result.Outcome == OrderSearchOutcome.StateLimitReached) return;
        }
        Assert.Fail("no generated graph needed more than 3 states; the test does not exercise the limit");
    }
}
