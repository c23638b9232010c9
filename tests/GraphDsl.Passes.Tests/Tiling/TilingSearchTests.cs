using GraphDsl.Ir;
using GraphDsl.Tiling;
using Xunit;

namespace GraphDsl.Passes.Tests.Tiling;

/// <summary>The joint region search on a graph small enough to work out by hand: two wide stages
/// (64 channels) joined by a narrow tensor (8 channels), the second inside a residual block.</summary>
/// <remarks>
/// int8, 16x16 rows x columns, 1x1 convolutions (no halo, so band sizes divide exactly):
/// <code>
/// x[8] -conv-> A[64] -conv-> c[8] -conv-> B[64] -conv-> y2[8];  y = ADD(y2, c)
/// </code>
/// x, c, y2, y are 2,048 B; A and B 16,384 B.
/// </remarks>
public class TilingSearchTests
{
    private const long Narrow = 16 * 16 * 8, Wide = 16 * 16 * 64;

    [Fact]
    public void Cuts_are_the_steps_after_which_one_tensor_alone_is_alive()
    {
        // After step 2 (B written) and 3 (y2 written) c is alive too: the residual reads it last.
        Assert.Equal([(-1, "x"), (0, "A"), (1, "c"), (4, "y")], TilingSearch.CutPoints(Build()));
    }

    [Fact]
    public void Two_regions_chosen_together_go_below_the_best_single_region()
    {
        var graph = Build();
        // Untiled, step 3 holds c, B and y2.
        Assert.Equal(Narrow + Wide + Narrow, TilingSearch.PredictHead(graph));
        // Regions of at most 3 operators: x -> c (2 ops) and c -> y (3 ops), never both in one.
        var options = new TilingOptions(MaxMacOverhead: 0.2, MaxRegions: 1, BandCounts: [4], MaxRegionOperators: 3, BudgetMilliseconds: 0, MinimizeHead: true);

        var one = TilingSearch.Run(graph, options);
        Assert.Single(one.Regions);
        // With one region, the other stage runs whole: x + A (step 0) or A + c (step 1), c + B (step 2).
        Assert.Equal(Narrow + Wide, one.ArenaAfter);

        var two = TilingSearch.Run(graph, options with { MaxRegions = 2 });
        Assert.Equal([("x", "c", 4), ("c", "y", 4)], two.Regions.Select(r => (r.Input, r.Output, r.Bands)));
        // The fullest step is the last band's B -> y2 convolution: c whole (every band's ADD reads
        // it), that band of B and of y2, and the three bands of y already written. (Band tensors are
        // planned for their own lifetimes, as TFLM allocates them; y's own bytes only from its
        // CONCATENATION on. The first region peaks lower: x whole, a band of A, bands of c.)
        long expected = Narrow + Wide / 4 + Narrow / 4 + 3 * Narrow / 4;
        Assert.Equal(expected, two.ArenaAfter);
        Assert.Equal(expected, TilingSearch.PredictHead(two.Graph));
        // 1x1 convolutions recompute nothing.
        Assert.Equal(two.MacsBefore, two.MacsAfter);
    }

    private static Graph Build()
    {
        var q = Quantization.PerTensor(0.05, 0);
        var tensors = new List<Tensor>();
        var ops = new List<Operator>();
        void Act(string name, long c) => tensors.Add(new Tensor(name, new TensorType(DataType.Int8, Shape.Of(1, 16, 16, c))) { Quantization = q });
        void Conv(string input, string output, long ci, long co)
        {
            Act(output, co);
            tensors.Add(new Tensor($"{output}/w", new TensorType(DataType.Int8, Shape.Of(co, 1, 1, ci))) { Kind = TensorKind.Constant });
            tensors.Add(new Tensor($"{output}/b", new TensorType(DataType.Int32, Shape.Of(co))) { Kind = TensorKind.Constant });
            ops.Add(new Operator("CONV_2D", EquatableArray.Create<string?>(input, $"{output}/w", $"{output}/b"), EquatableArray.Create<string?>(output))
            {
                Attributes = AttributeMap.From(("padding", "SAME"), ("stride_w", 1L), ("stride_h", 1L), ("dilation_w_factor", 1L), ("dilation_h_factor", 1L)),
            });
        }
        Act("x", 8);
        Conv("x", "A", 8, 64);
        Conv("A", "c", 64, 8);
        Conv("c", "B", 8, 64);
        Conv("B", "y2", 64, 8);
        Act("y", 8);
        ops.Add(new Operator("ADD", EquatableArray.Create<string?>("y2", "c"), EquatableArray.Create<string?>("y")));
        return new Graph("main", tensors.ToEquatableArray(), ops.ToEquatableArray(), EquatableArray.Create("x"), EquatableArray.Create("y"));
    }
}
