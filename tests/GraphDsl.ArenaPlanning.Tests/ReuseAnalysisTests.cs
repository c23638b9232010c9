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
    /// verifier (rightly, by the documented rule) refuses, so optimize failed with GD3324/GD3323.
    /// Now the single-input concat is a view of its input, and the input is a slice of the second
    /// concat only: no buffer is a slice of two concats.</summary>
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
        // c1 is a view of a (a single-input concat copies nothing), so a itself is never inside a
        // concat and may be c2's first slice; c1 shares a's bytes there.
        Assert.Equal("c1->a@0:View; a->c2@0:Concat; p->c2@16:Concat", Describe(g, Analyze(g)));

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

    private static IReadOnlyList<GraphDsl.Ir.Diagnostics.Diagnostic> PlanAndVerify(Graph g, out ArenaPlan plan)
    {
        var bag = new GraphDsl.Ir.Diagnostics.DiagnosticBag();
        plan = ArenaPlanner.Plan(g, null, new ArenaPlanOptions(), bag, null)!;
        Assert.NotNull(plan);
        var problem = MemoryProblem.Create(g);
        return ArenaPlanVerifier.Verify(problem, ExecutionOrder.Stored(g), plan.ToLayout(problem.Size));
    }

    [Fact]
    public void SingleInputConcatFeedingAnotherConcatIsAViewAndEachBufferIsASliceOfOneConcat()
    {
        // ../shared/cases/single_input_concat.gdsl: a, c1 = CONCAT(a), b = CONV(c1), z = CONCAT(a, b).
        // c1 is a's bytes (identity copy); a and b are the two halves of z. Before, a became a slice
        // of c1 and c1 (not an input of z) a slice of z: GD3324/GD3323.
        var b = new GraphBuilder();
        var x = b.Input("x", DataType.Int8, 1, 16);
        var a = b.Op("CONV_2D", "a", DataType.Int8, [1, 16], x);
        var c1 = b.Op("CONCATENATION", "c1", DataType.Int8, [1, 16], GraphBuilder.Axis(1), a);
        var bb = b.Op("CONV_2D", "b", DataType.Int8, [1, 16], c1);
        b.Output(b.Op("CONCATENATION", "z", DataType.Int8, [1, 32], GraphBuilder.Axis(1), a, bb));
        var g = b.Build();
        Assert.Equal("c1->a@0:View; a->z@0:Concat; b->z@16:Concat", Describe(g, Analyze(g)));
        Assert.Empty(PlanAndVerify(g, out var plan));
        Assert.Equal(32, plan.ArenaBytes); // z holds a and b; x (16) + a (16) at step 0
    }

    [Fact]
    public void A_tensor_read_by_two_concats_is_a_slice_of_one_only()
    {
        // a is an input of z1 = CONCAT(a, p) and of z2 = CONCAT(a, q) (and, through the view c,
        // of z3 = CONCAT(c, r)): it can be placed inside one of them, never two.
        var b = new GraphBuilder();
        var x = b.Input("x", DataType.Int8, 1, 8);
        var a = b.Op("CONV_2D", "a", DataType.Int8, [1, 8], x);
        var p = b.Op("CONV_2D", "p", DataType.Int8, [1, 8], x);
        var q = b.Op("CONV_2D", "q", DataType.Int8, [1, 8], x);
        var c = b.Op("CONCATENATION", "c", DataType.Int8, [1, 8], GraphBuilder.Axis(1), a);
        var r = b.Op("CONV_2D", "r", DataType.Int8, [1, 8], x);
        b.Output(b.Op("CONCATENATION", "z1", DataType.Int8, [1, 16], GraphBuilder.Axis(1), a, p));
        b.Output(b.Op("CONCATENATION", "z2", DataType.Int8, [1, 16], GraphBuilder.Axis(1), a, q));
        b.Output(b.Op("CONCATENATION", "z3", DataType.Int8, [1, 16], GraphBuilder.Axis(1), c, r));
        var g = b.Build();
        var problem = MemoryProblem.Create(g);
        var assignment = Analyze(g);
        // a's buffer (a and its view c) is moved into exactly one concat output.
        Assert.Single(assignment.Aliases, x => x.Reason == AliasReason.Concat && problem.TensorName(x.Tensor) is "a" or "c");
        Assert.Empty(PlanAndVerify(g, out _));
    }

    [Fact]
    public void Graph_inputs_and_outputs_are_never_concat_slices_at_unaligned_offsets()
    {
        // z = CONCAT(p, x) with p i8[1,3]: x (a graph input) would start at byte 3, and
        // y = RESHAPE(q) (a graph output) would start at byte 3 of w = CONCAT(p2, q).
        // TFLM hands the application 16-byte aligned buffers, so both stay aligned.
        var b = new GraphBuilder();
        var x = b.Input("x", DataType.Int8, 1, 5);
        var p = b.Op("CONV_2D", "p", DataType.Int8, [1, 3], x);
        b.Output(b.Op("CONCATENATION", "z", DataType.Int8, [1, 8], GraphBuilder.Axis(1), p, x));
        var p2 = b.Op("CONV_2D", "p2", DataType.Int8, [1, 3], x);
        var q = b.Op("CONV_2D", "q", DataType.Int8, [1, 5], x);
        b.Output(b.Op("RESHAPE", "y", DataType.Int8, [5], q));
        b.Output(b.Op("CONCATENATION", "w", DataType.Int8, [1, 8], GraphBuilder.Axis(1), p2, q));
        var g = b.Build();
        Assert.Empty(PlanAndVerify(g, out var plan));
        var problem = MemoryProblem.Create(g);
        for (int t = 0; t < problem.TensorCount; t++)
            if (problem.IsGraphInput[t] || problem.IsGraphOutput[t])
                Assert.True(plan.Offsets[t] % 16 == 0, $"{problem.TensorName(t)} at {plan.Offsets[t]}");
    }

    [Fact]
    public void Float_slices_stay_on_their_element_size()
    {
        // Every f32 tensor's bytes are a multiple of 4, so slices of f32 concats land on multiples
        // of 4; the verifier checks every tensor against its element size.
        var b = new GraphBuilder();
        var x = b.Input("x", DataType.Float32, 1, 3);
        var p = b.Op("FULLY_CONNECTED", "p", DataType.Float32, [1, 3], x);
        var q = b.Op("FULLY_CONNECTED", "q", DataType.Float32, [1, 5], x);
        var z = b.Op("CONCATENATION", "z", DataType.Float32, [1, 8], GraphBuilder.Axis(1), p, q);
        b.Output(b.Op("RELU", "out", DataType.Float32, [1, 8], z));
        var g = b.Build();
        Assert.Empty(PlanAndVerify(g, out var plan));
        var problem = MemoryProblem.Create(g);
        for (int t = 0; t < problem.TensorCount; t++) Assert.True(plan.Offsets[t] % 4 == 0);
    }
}
