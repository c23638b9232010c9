using GraphDsl.Analysis;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Passes;
using GraphDsl.Passes.OrderSearch;
using GraphDsl.Syntax;
using Xunit;

namespace GraphDsl.Scheduling.Tests;

/// <summary>The <c>order</c> pass: what it writes into the IR and what it reports.</summary>
public class OrderSearchPassTests
{
    // Stored order runs the big branch head first and keeps it alive through the other branch;
    // running branch b first is cheaper. Sizes make the difference visible.
    private const string TwoBranches = """
        graph main(x: i8[64]) -> (y) {
          a1: i8[256] = CONV_2D(x)
          b1: i8[16] = CONV_2D(x)
          b2: i8[16] = CONV_2D(b1)
          a2: i8[8] = CONV_2D(a1)
          y: i8[24] = CONCATENATION(a2, b2)
        }
        """;

    private sealed class NoArtifacts : IArtifactSink
    {
        public void Write(string name, ReadOnlyMemory<byte> content) => throw new InvalidOperationException("the order pass writes no artifacts");
    }

    private sealed class ProgressLog : IProgress<PassProgress>
    {
        public List<PassProgress> Items { get; } = new();
        public void Report(PassProgress value) => Items.Add(value);
    }

    private static (PassResult Result, DiagnosticBag Diagnostics, ProgressLog Progress) Run(Model model, CancellationToken cancellation = default)
    {
        var pass = new OrderSearchPass();
        var diagnostics = new DiagnosticBag();
        var progress = new ProgressLog();
        var context = new PassContext(PassOptions.Defaults(pass.Descriptor), diagnostics, new NoArtifacts(), progress, null, cancellation);
        return (pass.Run(model, context), diagnostics, progress);
    }

    private static Model Parse(string text)
    {
        var read = GraphDslSyntax.Parse(text, "test.gdsl");
        Assert.True(read.Succeeded, string.Join("\n", read.Diagnostics));
        return read.Model!;
    }

    [Fact]
    public void WritesOrderAnnotationsThatMeasureToTheReportedPeak()
    {
        var model = Parse(TwoBranches);
        var (result, diagnostics, progress) = Run(model);

        Assert.True(result.Changed);
        Assert.Empty(diagnostics);
        Assert.NotEmpty(progress.Items);
        var graph = result.Model.Main;
        // Operators keep their stored order; only annotations change.
        Assert.Equal(model.Main.Operators.Select(o => o with { Annotations = AttributeMap.Empty }), graph.Operators.Select(o => o with { Annotations = AttributeMap.Empty }));
        var problem = MemoryProblem.Create(graph);
        var order = ExecutionOrder.Current(graph);
        Assert.True(ExecutionOrder.IsTopological(problem, order));
        Assert.NotEqual(ExecutionOrder.Stored(graph), order);
        var figures = ((AttributeValue.Record)graph.Annotations[OrderSearchPass.SummaryAnnotation]!).Fields;
        long peak = figures["peak_bytes"]!.AsInt()!.Value;
        Assert.Equal(MemoryProfile.Compute(problem, order).PeakBytes, peak);
        Assert.Equal(MemoryProfile.Compute(problem, ExecutionOrder.Stored(graph)).PeakBytes, figures["stored_peak_bytes"]!.AsInt());
        Assert.Equal(BruteForceOrders.MinimumPeak(problem, out _), peak);
        Assert.Equal(new AttributeValue.Bool(true), figures["proven_optimal"]);

        // Visible in printed text, and the printed text parses back to the same annotations.
        var text = IrPrinter.Print(result.Model);
        Assert.Equal(graph.Operators.Count, text.Split('\n').Count(line => line.Contains("@order(")));
        Assert.Contains("@order_search(", text);
        Assert.Equal(order, ExecutionOrder.Current(Parse(text).Main));
    }

    [Fact]
    public void ReportsUnsizedActivations()
    {
        var model = Parse("""
            graph main(x: i8[?, 4]) -> (y) {
              y: i8[?, 4] = RELU(x)
            }
            """);
        var (result, diagnostics, _) = Run(model);
        Assert.False(result.Changed);
        Assert.Same(model, result.Model);
        // The activation view reports it, under the one ID every pass shares.
        Assert.Equal("GD3051", Assert.Single(diagnostics).Id);
    }

    [Fact]
    public void ReportsCycles()
    {
        var t = new TensorType(DataType.Int8, Shape.Of(4));
        var graph = new Graph("main",
            EquatableArray.Create(new Tensor("a", t), new Tensor("b", t)),
            EquatableArray.Create(
                new Operator("RELU", EquatableArray.Create<string?>("b"), EquatableArray.Create<string?>("a")),
                new Operator("RELU", EquatableArray.Create<string?>("a"), EquatableArray.Create<string?>("b"))),
            EquatableArray<string>.Empty, EquatableArray.Create("b"));
        var (result, diagnostics, _) = Run(Model.Of(graph));
        Assert.False(result.Changed);
        Assert.Equal("GD3202", Assert.Single(diagnostics).Id);
    }

    [Fact]
    public void HonoursCancellation()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Run(Parse(TwoBranches), cancelled.Token));
    }

    [Fact]
    public void DescriptorDeclaresWhatThePassDoes()
    {
        var d = new OrderSearchPass().Descriptor;
        Assert.Equal("order", d.Name);
        Assert.Contains("order", d.Provides);
        Assert.Equal(10000L, d.Options.Single(o => o.Name == "budget-ms").Default);
        Assert.Contains(d.Options, o => o.Name == "max-states");
        Assert.All(d.Reports, r => Assert.StartsWith("GD3", r.Id));
    }
}
