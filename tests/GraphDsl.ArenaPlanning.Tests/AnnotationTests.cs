using GraphDsl.Analysis;
using GraphDsl.Ir;
using Xunit;

namespace GraphDsl.ArenaPlanning.Tests;

/// <summary>The plan written as annotations reads back to a layout the verifier accepts, and an
/// edited offset in the annotations is caught.</summary>
public sealed class AnnotationTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(11)]
    [InlineData(42)]
    public void WrittenPlanReadsBackAndVerifies(int seed)
    {
        var graph = RandomGraphs.Create(seed, 12);
        var (problem, plan) = PlanProperties.Plan(graph, "auto", ReuseKinds.All);
        var annotated = ArenaAnnotations.Write(graph, problem, plan);
        var reread = MemoryProblem.Create(annotated);
        var layout = ArenaAnnotations.Read(annotated, reread)!;
        Assert.Equal(plan.Offsets.Select(o => (long?)o), layout.Offset);
        Assert.Equal(plan.Assignment.Aliases.OrderBy(a => a.Tensor), layout.Aliases.OrderBy(a => a.Tensor));
        Assert.Empty(ArenaPlanVerifier.Verify(reread, ExecutionOrder.Current(annotated), layout));
        Assert.Same(annotated, ArenaAnnotations.Write(annotated, reread, plan));
    }

    [Fact]
    public void GraphWithoutAPlanHasNoLayout()
    {
        var graph = RandomGraphs.Create(5, 4);
        Assert.Null(ArenaAnnotations.Read(graph, MemoryProblem.Create(graph)));
    }
}
