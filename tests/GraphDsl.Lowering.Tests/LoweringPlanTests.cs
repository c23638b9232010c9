using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using Xunit;

namespace GraphDsl.Lowering.Tests;

public sealed class LoweringPlanTests
{
    private static readonly int[] Order = [0, 1, 2, 3, 4, 5, 6];

    [Fact]
    public void Reads_order_offsets_and_arena_size_from_the_annotations()
    {
        var graph = PlannedGraphs.Plan(PlannedGraphs.InceptionCell(), [0, 2, 3, 4, 1, 5, 6]);
        var bag = new DiagnosticBag();
        var plan = LoweringPlan.TryRead(graph, "x.gdsl", bag);
        Assert.Empty(bag);
        Assert.Equal([0, 2, 3, 4, 1, 5, 6], plan!.Order);
        Assert.Equal(graph.Tensors.Count(t => t.IsActivation), plan.Placements.Count);
        var offsets = plan.OffsetsByTensorIndex();
        Assert.Equal(-1, offsets[graph.TensorIndex("w")]);
        // b1 is written at step 4 and read at step 5 (the concat): lifetime from the edges.
        var b1 = plan.Placements.Single(p => p.Name == "b1");
        Assert.Equal((4, 5), (b1.First, b1.Last));
    }

    [Fact]
    public void Missing_order_is_GD3501_and_missing_placement_is_GD3502()
    {
        var planned = PlannedGraphs.Plan(PlannedGraphs.InceptionCell(), Order);
        var noOrder = planned with { Operators = planned.Operators.Select((o, i) => i == 3 ? o with { Annotations = AttributeMap.Empty } : o).ToEquatableArray() };
        var bag = new DiagnosticBag();
        Assert.Null(LoweringPlan.TryRead(noOrder, "x.gdsl", bag));
        Assert.Equal("GD3501", Assert.Single(bag).Id);

        var notTopological = planned with
        {
            Operators = planned.Operators.Select((o, i) => o with { Annotations = o.Annotations.With("order", i switch { 2 => 3, 3 => 2, _ => i }) }).ToEquatableArray(),
        };
        bag = new DiagnosticBag();
        Assert.Null(LoweringPlan.TryRead(notTopological, "x.gdsl", bag));
        Assert.Contains("read before", Assert.Single(bag).Message);

        var noArena = planned with { Tensors = planned.Tensors.Select(t => t.Name == "b2a" ? t with { Annotations = AttributeMap.Empty } : t).ToEquatableArray() };
        bag = new DiagnosticBag();
        Assert.Null(LoweringPlan.TryRead(noArena, "x.gdsl", bag));
        var d = Assert.Single(bag);
        Assert.Equal("GD3502", d.Id);
        Assert.Contains("'b2a'", d.Message);
    }

    [Fact]
    public void An_alias_takes_the_offset_of_its_target_plus_its_own()
    {
        var planned = PlannedGraphs.Plan(PlannedGraphs.InceptionCell(), Order);
        var b3Offset = ((AttributeValue.Record)planned.Tensor("b3").Annotations["arena"]!).Fields["offset"]!.AsInt()!.Value;
        var aliased = planned with
        {
            Tensors = planned.Tensors.Select(t => t.Name == "b1"
                ? t with { Annotations = AttributeMap.From(("alias", PlannedGraphs.Record(("of", "b3"), ("offset", 1024), ("reason", "test")))) }
                : t).ToEquatableArray(),
        };
        var plan = LoweringPlan.TryRead(aliased, null, new DiagnosticBag())!;
        var b1 = plan.Placements.Single(p => p.Name == "b1");
        Assert.Equal(b3Offset + 1024, b1.Offset);
        Assert.Equal("b3", b1.AliasOf);
    }

    [Fact]
    public void A_declared_arena_smaller_than_a_placed_tensor_is_GD3505()
    {
        var planned = PlannedGraphs.Plan(PlannedGraphs.InceptionCell(), Order);
        var lying = planned with { Annotations = AttributeMap.From(("arena_plan", PlannedGraphs.Record(("arena_bytes", 100)))) };
        var bag = new DiagnosticBag();
        Assert.Null(LoweringPlan.TryRead(lying, null, bag));
        Assert.Equal("GD3505", Assert.Single(bag).Id);
    }
}
