using GraphDsl.Analysis;
using GraphDsl.Ir;
using Xunit;

namespace GraphDsl.Passes.Tests;

/// <summary>The <c>tmm</c> pass, loaded as a plugin, against <see cref="LifetimeSweepOracle"/>.</summary>
public class TmmOracleTests
{
    [Fact]
    public void The_built_in_plugins_load_without_diagnostics()
    {
        Assert.Empty(BuiltInPasses.LoadDiagnostics);
        Assert.NotNull(BuiltInPasses.Catalog.Find("tmm"));
    }

    public static IEnumerable<object[]> Seeds() => Enumerable.Range(0, 60).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_graphs_in_stored_and_random_orders_match_the_oracle(int seed)
    {
        var graph = RandomGraphs.Create(seed);
        AssertMatchesOracle(graph, ExecutionOrder.Stored(graph));
        var order = RandomGraphs.RandomOrder(graph, seed + 1000);
        AssertMatchesOracle(RandomGraphs.WithOrder(graph, order), order);
    }

    [Fact]
    public void Residual_block_figures_are_the_hand_computed_ones()
    {
        // x(100) -> A -> a(200) -> B -> b(300); ADD(x, b) -> y(100). i8 tensors, bytes = elements.
        var g = new Graph("residual",
            EquatableArray.Create(T("x", 100), T("a", 200), T("b", 300), T("y", 100)),
            EquatableArray.Create(Op("A", ["x"], ["a"]), Op("B", ["a"], ["b"]), Op("ADD", ["x", "b"], ["y"])),
            EquatableArray.Create("x"), EquatableArray.Create("y"));
        var m = RunTmm(g);
        // Step 0: in x, out a; nothing else (b, y not yet written). Step 1: in a, out b, x alive.
        // Step 2: in x+b, out y, a dead. Lower bound: max(in+out) = 500 (steps 1 and 2).
        Assert.Equal([(100L, 200L, 0L, 300L), (200L, 300L, 100L, 600L), (400L, 100L, 0L, 500L)], Memory(m));
        // The TMM fields; the tflm_* ones (TFLM's arena, operators A and B unknown to it) are tested with TFLM itself.
        var tmm = (AttributeValue.Record)m.Main.Annotations["tmm"]!;
        var own = AttributeMap.From(tmm.Fields.Where(f => !f.Key.StartsWith("tflm_", StringComparison.Ordinal)));
        Assert.Equal(Record(("peak_bytes", 600L), ("peak_step", 1L), ("peak_operator", 1L), ("lower_bound_bytes", 500L), ("view", "tflm")),
            new AttributeValue.Record(own));
    }

    [Fact]
    public void Dequantize_outputs_are_activations_in_the_tflm_view_and_persistent_in_the_desktop_view()
    {
        var g = new Graph("dq",
            EquatableArray.Create(T("x", 10), new Tensor("w16", new TensorType(DataType.Float16, Shape.Of(50))) { Kind = TensorKind.Constant },
                new Tensor("w", new TensorType(DataType.Float32, Shape.Of(50))), T("y", 10)),
            EquatableArray.Create(Op("DEQUANTIZE", ["w16"], ["w"]), Op("FULLY_CONNECTED", ["x", "w"], ["y"])),
            EquatableArray.Create("x"), EquatableArray.Create("y"));
        var tflm = RunTmm(g);
        Assert.Equal([(0L, 200L, 10L, 210L), (210L, 10L, 0L, 220L)], Memory(tflm));
        var desktop = RunTmm(g, "tmm{view=persistent-dequantize}");
        Assert.Equal([(0L, 0L, 10L, 10L), (10L, 10L, 0L, 20L)], Memory(desktop));
        Assert.Equal(new AttributeValue.Str("persistent-dequantize"), ((AttributeValue.Record)desktop.Main.Annotations["tmm"]!).Fields["view"]);
    }

    [Fact]
    public void Unsized_activations_are_an_error_naming_them()
    {
        var g = new Graph("dyn",
            EquatableArray.Create(new Tensor("x", new TensorType(DataType.Float32, new Shape(EquatableArray.Create(Dim.Named("batch"), Dim.Known(3))))), T("y", 3)),
            EquatableArray.Create(Op("RELU", ["x"], ["y"])),
            EquatableArray.Create("x"), EquatableArray.Create("y"));
        var run = BuiltInPasses.Run("tmm", Model.Of(g));
        Assert.False(run.Succeeded);
        var d = Assert.Single(run.Diagnostics);
        Assert.Equal("GD3051", d.Id);
        Assert.Equal("1 activation tensor(s) have no byte size the arena can plan: 'x': f32[batch,3] has unknown dimensions; give them with --dim NAME=N or a static shape", d.Message);
    }

    [Fact]
    public void An_unknown_view_lists_the_views()
    {
        var run = BuiltInPasses.Run("tmm{view=desktop}", Model.Of(RandomGraphs.Create(1)));
        Assert.Equal("tmm: unknown view 'desktop'; expected one of tflm, persistent-dequantize", Assert.Single(run.Diagnostics).Message);
    }

    [Fact]
    public void Running_tmm_twice_returns_the_same_instance_the_second_time()
    {
        var first = BuiltInPasses.Run("tmm", Model.Of(RandomGraphs.Create(7)));
        Assert.True(first.Succeeded);
        var second = BuiltInPasses.Run("tmm", first.Model);
        Assert.Same(first.Model, second.Model);
    }

    private static void AssertMatchesOracle(Graph graph, int[] order)
    {
        Assert.Equal(order, ExecutionOrder.Current(graph));
        CorpusTmmTests.AssertMatchesOracle(graph, RunTmm(graph).Main);
    }

    internal static Model RunTmm(Graph graph, string pipeline = "tmm")
    {
        var run = BuiltInPasses.Run(pipeline, Model.Of(graph));
        Assert.True(run.Succeeded, string.Join("\n", run.Diagnostics));
        return run.Model;
    }

    private static List<(long, long, long, long)> Memory(Model m) => m.Main.Operators
        .Select(o => (AttributeValue.Record)o.Annotations["memory"]!)
        .Select(r => (r.Fields["inputs"]!.AsInt()!.Value, r.Fields["outputs"]!.AsInt()!.Value, r.Fields["other"]!.AsInt()!.Value, r.Fields["total"]!.AsInt()!.Value))
        .ToList();

    private static AttributeValue Record(params (string, AttributeValue)[] fields) => new AttributeValue.Record(AttributeMap.From(fields));

    private static Tensor T(string name, long bytes) => new(name, new TensorType(DataType.Int8, Shape.Of(bytes)));

    private static Operator Op(string type, string[] inputs, string[] outputs) =>
        new(type, inputs.Select(i => (string?)i).ToEquatableArray(), outputs.Select(o => (string?)o).ToEquatableArray());
}
