using GraphDsl.Analysis;
using GraphDsl.Ir;
using Xunit;

namespace GraphDsl.ArenaPlanning.Tests;

/// <summary>Reuse decisions on hand-built graphs whose right answer follows from the rules.</summary>
public sealed class ReuseAnalysisTests
{
    private static BufferAssignment Analyze(Graph graph, ReuseKinds kinds = ReuseKinds.All)
    {
        var problem = MemoryProblem.Create(graph);
        var order = ExecutionOrder.Stored(graph);
        return ReuseAnalysis.Compute(problem, order, Liveness.Compute(problem, order), kinds);
    }

    private static string Describe(Graph graph, BufferAssignment a)
    {
        var problem = MemoryProblem.Create(graph);
        return string.Join("; ", a.Aliases.Select(x => $"{problem.TensorName(x.Tensor)}->{problem.TensorName(x.Of)}@{x.Offset}:{x.Reason}"));
    }

    [Fact]
    public void NchwChannelConcatWithBatchOnePutsEachInputInItsSlice()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", DataType.Float32, 1, 1, 2, 2);
        var p = b.Op("Conv", "p", DataType.Float32, [1, 2, 2, 2], x);   // 32 bytes
        var q = b.Op("Conv", "q", DataType.Float32, [1, 3, 2, 2], x);   // 48 bytes
        b.Output(b.Op("Concat", "z", DataType.Float32, [1, 5, 2, 2], GraphBuilder.Axis(1), p, q));
        var g = b.Build();
        Assert.Equal("p->z@0:Concat; q->z@32:Concat", Describe(g, Analyze(g)));
    }

    [Fact]
    public void NhwcChannelConcatIsNotContiguousUnlessSpatialSizeIsOne()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", DataType.Int8, 1, 2, 2, 1);
        var p = b.Op("CONV_2D", "p", DataType.Int8, [1, 2, 2, 2], x);
        var q = b.Op("CONV_2D", "q", DataType.Int8, [1, 2, 2, 3], x);
        b.Output(b.Op("CONCATENATION", "z", DataType.Int8, [1, 2, 2, 5], GraphBuilder.Axis(3), p, q));
        var g = b.Build();
        Assert.Empty(Analyze(g).Aliases);

        var c = new GraphBuilder();
        var y = c.Input("y", DataType.Int8, 1, 1, 1, 4);
        var r = c.Op("FULLY_CONNECTED", "r", DataType.Int8, [1, 1, 1, 2], y);
        var s = c.Op("FULLY_CONNECTED", "s", DataType.Int8, [1, 1, 1, 3], y);
        c.Output(c.Op("CONCATENATION", "z", DataType.Int8, [1, 1, 1, 5], GraphBuilder.Axis(-1), r, s));
        var h = c.Build();
        Assert.Equal("r->z@0:Concat; s->z@2:Concat", Describe(h, Analyze(h)));
    }

    [Fact]
    public void ElementwiseWritesOverAnInputOnlyWhenItDiesThereAndIsNotGraphIo()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", DataType.Float32, 1, 4);
        var a = b.Op("Relu", "a", DataType.Float32, [1, 4], x);          // x is a graph input: no
        var c = b.Op("Relu", "c", DataType.Float32, [1, 4], a);          // a dies here: yes
        var d = b.Op("Sigmoid", "d", DataType.Float32, [1, 4], c);       // c read again below: no
        b.Output(b.Op("Add", "e", DataType.Float32, [1, 4], d, c));      // d and c both die; first wins
        var g = b.Build();
        Assert.Equal("c->a@0:InPlace; e->d@0:InPlace", Describe(g, Analyze(g)));
    }

    [Fact]
    public void ViewAliasesItsInputAndBlocksLaterInPlaceWhileItIsAlive()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", DataType.Float32, 1, 4);
        var a = b.Op("Conv", "a", DataType.Float32, [1, 4], x);
        var v = b.Op("Reshape", "v", DataType.Float32, [4], a);
        var r = b.Op("Relu", "r", DataType.Float32, [1, 4], a);          // v still alive after: no in-place
        b.Output(b.Op("Add", "o", DataType.Float32, [1, 4], r, v));
        var g = b.Build();
        Assert.Equal("v->a@0:View; o->r@0:InPlace", Describe(g, Analyze(g)));
        Assert.Equal("v->a@0:View", Describe(g, Analyze(g, ReuseKinds.Views)));
        Assert.Empty(Analyze(g, ReuseKinds.None).Aliases);
    }

    /// <summary>Minimized from random TFLM model 805 (tests/GraphDsl.Tflm.Tests/RandomModelTests):
    /// a single-input concat holds its input at offset 0 and has its size, which made the input
    /// look alone; a second concat then moved the first one's buffer into its slice, an alias the
    /// verifier (rightly, by the documented rule) refuses, so optimize failed with GD3324/GD3323.</summary>
    [Fact]
    public void AnInputAlreadyInsideASingleInputConcatIsNotMovedIntoAnotherConcat()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", DataType.Int8, 1, 2, 2, 4);
        var a = b.Op("CONV_2D", "a", DataType.Int8, [1, 2, 2, 4], x);
        var c1 = b.Op("CONCATENATION", "c1", DataType.Int8, [1, 2, 2, 4], GraphBuilder.Axis(1), a);
        var p = b.Op("CONV_2D", "p", DataType.Int8, [1, 2, 2, 4], x);
        var c2 = b.Op("CONCATENATION", "c2", DataType.Int8, [1, 4, 2, 4], GraphBuilder.Axis(1), a, p);
        b.Output(c1);
        b.Output(c2);
        var g = b.Build();
        Assert.Equal("a->c1@0:Concat", Describe(g, Analyze(g)));

        foreach (var strategy in ArenaStrategies.Names)
        {
            var (problem, plan) = PlanProperties.Plan(g, strategy, ReuseKinds.All);
            Assert.Empty(PlanProperties.Verify(problem, plan));
        }
    }

    [Fact]
    public void QuantizeChangingElementWidthIsNotInPlace()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", DataType.Float32, 1, 8);
        var a = b.Op("Relu", "a", DataType.Float32, [1, 8], x);
        b.Output(b.Op("QUANTIZE", "q", DataType.Int8, [1, 8], a));
        var g = b.Build();
        Assert.Empty(Analyze(g).Aliases);
    }
}
