using GraphDsl.Analysis;
using Xunit;

namespace GraphDsl.Scheduling.Tests;

/// <summary>On random graphs small enough to enumerate every topological order, the search's
/// peak is the brute-force minimum, its order is topological and its reported peak is what
/// MemoryProfile measures for that order.</summary>
public class OrderSearchPropertyTests
{
    public static IEnumerable<object[]> Seeds() => Enumerable.Range(0, 400).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void FindsTheBruteForceOptimumAndProvesIt(int seed)
    {
        var problem = MemoryProblem.Create(RandomDagGenerator.Create(seed, maxOperators: 9));
        long optimum = BruteForceOrders.MinimumPeak(problem, out long orders);
        Assert.True(orders > 0);

        var result = OrderSearch.Run(problem);

        Assert.True(ExecutionOrder.IsTopological(problem, result.Order));
        Assert.Equal(MemoryProfile.Compute(problem, result.Order).PeakBytes, result.PeakBytes);
        Assert.Equal(optimum, result.PeakBytes);
        Assert.True(result.ProvenOptimal, $"not proven: lower bound {result.ProvenLowerBoundBytes}, peak {result.PeakBytes}");
        Assert.Equal(result.PeakBytes, result.ProvenLowerBoundBytes);
        Assert.True(result.PeakBytes <= result.StoredPeakBytes || !ExecutionOrder.IsTopological(problem, ExecutionOrder.Stored(problem.Graph)));
    }

    [Fact]
    public void GeneratorCoversTheCasesThatMatter()
    {
        // The property above is only as strong as the graphs it sees: check that the generator
        // produces multi-output operators, weight-only sources, shared tensors, tensors alive only
        // at step 0, and graphs with many orders.
        int multiOutput = 0, sources = 0, shared = 0, startOnly = 0, manyOrders = 0;
        for (int seed = 0; seed < 400; seed++)
        {
            var problem = MemoryProblem.Create(RandomDagGenerator.Create(seed, 9));
            if (problem.OperatorOutputs.Any(o => o.Length > 1)) multiOutput++;
            if (problem.OperatorInputs.Any(i => i.Length == 0)) sources++;
            if (problem.Consumers.Any(c => c.Length > 1)) shared++;
            if (Enumerable.Range(0, problem.TensorCount).Any(t => problem.LivesFromStart(t) && problem.Consumers[t].Length == 0 && !problem.IsGraphOutput[t])) startOnly++;
            BruteForceOrders.MinimumPeak(problem, out long orders);
            if (orders >= 100) manyOrders++;
        }
        Assert.All(new[] { multiOutput, sources, shared, startOnly, manyOrders }, c => Assert.True(c >= 10, $"only {c}"));
    }
}
