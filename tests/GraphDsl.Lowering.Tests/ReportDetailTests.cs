using GraphDsl.Reports;
using System.Text.Json;
using System.Text.RegularExpressions;
using GraphDsl.Analysis;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Reports.Html;
using GraphDsl.TestKit;
using GraphDsl.TestKit.Tflite;
using Xunit;

namespace GraphDsl.Lowering.Tests;

/// <summary>What the reports name: the tensors alive at each peak, the operators that moved, the
/// operators' labels (TFLite ones by their output tensor, custom ones by their code) in every output.</summary>
public sealed class ReportDetailTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("graphdsl-report-detail-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    /// <summary>The inception cell of <see cref="PlannedGraphs"/> run as [0, 2, 3, 4, 1, 5, 6]: branch1 moved last.</summary>
    private static (OptimizationSummary Summary, string Html) InceptionCell()
    {
        var cell = PlannedGraphs.InceptionCell();
        var stored = PlannedGraphs.PlanStored(cell);
        var plan = LoweringPlan.TryRead(PlannedGraphs.Plan(cell, [0, 2, 3, 4, 1, 5, 6]), null, new DiagnosticBag())!;
        var summary = OptimizationSummary.Compute("inception_cell.gdsl", stored, plan.Graph);
        return (summary, HtmlReport.Render(summary, stored, plan));
    }

    [Fact]
    public void Peak_tensors_and_moved_operators_are_the_hand_computed_ones()
    {
        var (summary, html) = InceptionCell();
        // Stored order, step 3 (branch2/project): stem 4096 + b1 1024 + b2a 8192 + b2 1024 = 14336 B.
        Assert.Equal([new LiveTensor("b2a", 8192), new LiveTensor("stem", 4096), new LiveTensor("b1", 1024), new LiveTensor("b2", 1024)],
            summary.StoredPeakTensors);
        Assert.Equal(14336, summary.Stored.PeakBytes);
        // New order, step 2 (branch2/project before branch1): stem + b2a + b2 = 13312 B.
        Assert.Equal([new LiveTensor("b2a", 8192), new LiveTensor("stem", 4096), new LiveTensor("b2", 1024)], summary.OptimizedPeakTensors);
        Assert.Equal(13312, summary.Optimized.PeakBytes);
        // Only branch1 left its stored sequence: stored position 1, run at step 4.
        var move = Assert.Single(summary.Moves);
        Assert.Equal((1, 4, "#1 CONV_2D 'branch1'"), (move.Operator, move.Step, move.Label));

        using var json = JsonDocument.Parse(OptimizationSummaryJson.Render(summary));
        var root = json.RootElement;
        Assert.Equal(["b2a", "stem", "b2"], root.GetProperty("optimized").GetProperty("peak_tensors").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(13312, root.GetProperty("optimized").GetProperty("peak_tensors").EnumerateArray().Sum(t => t.GetProperty("bytes").GetInt64()));
        var moved = Assert.Single(root.GetProperty("moved_operators").EnumerateArray().ToArray());
        Assert.Equal((1, 4, "branch1"), (moved.GetProperty("from").GetInt32(), moved.GetProperty("to").GetInt32(), moved.GetProperty("name").GetString()));

        var details = OptimizationSummaryText.Details(summary);
        Assert.Contains("live at the peak, after:  b2a 8,192 B, stem 4,096 B, b2 1,024 B", details);
        Assert.Contains("#1 CONV_2D 'branch1' 1 -> 4", details);

        Assert.Contains("<td>#1 CONV_2D &#39;branch1&#39;</td><td>1</td><td>4</td>", html);
        Assert.Contains("1 &rarr; 4", html);
        Assert.Single(Regex.Matches(html, "&rarr;"));
        Assert.Contains("<td>b2a</td><td>8,192</td><td>#2 CONV_2D &#39;branch2/expand&#39;</td>", html);
    }

    [Fact]
    public void Arena_rectangles_carry_their_tensor_and_the_operator_that_writes_it()
    {
        var (_, html) = InceptionCell();
        // 360 px for about 14 KiB: every activation of 1 KiB or more is tall enough to carry its name in
        // both layouts; 'out' (10 B, under a pixel) is named by its tooltip only.
        var labels = Regex.Matches(html, "<text class=\"tname\"[^>]*>([^<]*)</text>").Select(m => m.Groups[1].Value).ToArray();
        string[] names = ["b1", "b2", "b2a", "b3", "cat", "input", "stem"];
        Assert.Equal(names.SelectMany(n => new[] { n, n }).Order(StringComparer.Ordinal), labels.Order(StringComparer.Ordinal));
        Assert.Contains("written by #4 MAX_POOL_2D &#39;branch3&#39;", html);
        Assert.Contains("input\noffset", html.Replace("&#10;", "\n"));
    }

    [Fact]
    public void Labels_fit_their_rectangle_or_are_left_out()
    {
        Assert.Equal("conv2d_5", SvgCharts.FitLabel("conv2d_5", 100, 20));
        var cut = SvgCharts.FitLabel("a_very_long_tensor_name_indeed", 60, 20)!;
        Assert.EndsWith("...", cut);
        Assert.True(cut.Length * 6.2 <= 60 - 4, cut);
        Assert.Null(SvgCharts.FitLabel("x", 100, 8));
        Assert.Null(SvgCharts.FitLabel("conv", 20, 30));
    }

    [SkippableFact]
    public void Tflite_operators_are_named_by_their_output_and_custom_ones_by_their_code()
    {
        PipelineHost.RequirePasses("tmm", "order", "arena", "verify", "lower");
        // x -> RELU -> relu_out -> CUSTOM "MyPostProcess" -> post_out: operators without names.
        var model = new TestTfliteModel();
        model.OpCodes.Add(new TestOpCode(19)); // RELU
        model.OpCodes.Add(new TestOpCode(32, "MyPostProcess")); // CUSTOM
        var g = new TestSubgraph();
        int x = g.Add(new TestTensor("x", 9, [1, 64]));
        int relu = g.Add(new TestTensor("relu_out", 9, [1, 64]));
        int post = g.Add(new TestTensor("post_out", 9, [1, 32]));
        g.Inputs = [x];
        g.Outputs = [post];
        g.Operators.Add(new TestOperator(0, [x], [relu]));
        g.Operators.Add(new TestOperator(1, [relu], [post]));
        model.Subgraphs.Add(g);
        File.WriteAllBytes(P("m.tflite"), model.Build());

        var run = GraphDslCli.Run("optimize", P("m.tflite"), "-o", P("o.tflite"), "--header", P("o.h"), "--report", P("o.html"));
        Assert.True(run.ExitCode == 0, run.ToString());
        var header = File.ReadAllText(P("o.h"));
        Assert.Contains("0u, /* #0 RELU 'relu_out' */", header);
        Assert.Contains("1u, /* #1 CUSTOM(MyPostProcess) 'post_out' */", header);
        var html = File.ReadAllText(P("o.html"));
        Assert.Contains("<td>0</td><td>0</td><td>RELU</td><td>relu_out</td>", html);
        Assert.Contains("<td>1</td><td>1</td><td>CUSTOM(MyPostProcess)</td><td>post_out</td>", html);

        var tmm = GraphDslCli.Json("tmm", P("m.tflite"));
        Assert.Equal(["relu_out", "post_out"], tmm.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        Assert.Equal(["RELU", "CUSTOM(MyPostProcess)"], tmm.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("type").GetString()));
        // Peak: step 0 holds x and relu_out (64 + 64 B), step 1 relu_out and post_out (64 + 32 B).
        Assert.Equal(128, tmm.GetProperty("peak_bytes").GetInt64());
        Assert.Equal(["relu_out:64", "x:64"], tmm.GetProperty("peak_tensors").EnumerateArray()
            .Select(t => $"{t.GetProperty("name").GetString()}:{t.GetProperty("bytes").GetInt64()}").Order(StringComparer.Ordinal));

        var csvRun = GraphDslCli.Run("tmm", P("m.tflite"), "--csv", P("m.csv"));
        Assert.True(csvRun.ExitCode == 0, csvRun.ToString());
        Assert.Contains("live at the peak: 2 tensors:", csvRun.StdOut);
        var lines = File.ReadAllLines(P("m.csv"));
        Assert.EndsWith(",peak,live_at_peak", lines[0]);
        Assert.Matches("^0,0,relu_out,RELU,64,64,0,128,yes,(x:64;relu_out:64|relu_out:64;x:64)$", lines[1]);
        Assert.EndsWith(",,", lines[2]);
    }
}
