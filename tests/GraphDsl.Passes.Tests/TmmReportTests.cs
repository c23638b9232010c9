using System.Globalization;
using CsvHelper;
using GraphDsl.Ir;
using GraphDsl.Loading;
using GraphDsl.Reports;
using GraphDsl.TestKit;
using Xunit;

namespace GraphDsl.Passes.Tests;

/// <summary>The renderers read what <c>tmm</c> wrote: the CSV has one row per operator with the
/// figures of the annotations, and the chart is a real PNG sized for the operator count.</summary>
public class TmmReportTests
{
    [SkippableFact]
    public void Csv_of_the_largest_tflite_model_has_one_row_per_operator_with_the_sweep_figures()
    {
        var (model, table) = Load(CorpusModels.PathOf("selfie_segmentation.tflite"));
        using var reader = new CsvReader(new StringReader(System.Text.Encoding.UTF8.GetString(TmmCsv.Render(table))), CultureInfo.InvariantCulture);
        var records = reader.GetRecords<dynamic>().Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(model.Main.Operators.Count, records.Count);
        var (rows, peak, _) = LifetimeSweepOracle.Compute(model.Main, Analysis.ExecutionOrder.Current(model.Main));
        for (int step = 0; step < rows.Length; step++)
        {
            Assert.Equal(rows[step].Operator.ToString(CultureInfo.InvariantCulture), records[step]["operator"]);
            Assert.Equal(rows[step].Total.ToString(CultureInfo.InvariantCulture), records[step]["total_bytes"]);
        }
        Assert.Equal(peak.ToString(CultureInfo.InvariantCulture), Assert.Single(records, r => (string)r["peak"] == "yes")["total_bytes"]);
    }

    [SkippableFact]
    public void Chart_is_a_png_wide_enough_for_hundreds_of_operators()
    {
        var (_, table) = Load(CorpusModels.PathOf("selfie_segmentation.tflite"));
        var png = TmmChart.Render(table, "selfie", svg: false);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        // IHDR: width and height, big-endian, at bytes 16..23.
        int width = (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19];
        Assert.True(width >= 4 * table.Rows.Count, $"width {width} for {table.Rows.Count} operators");
        var svg = System.Text.Encoding.UTF8.GetString(TmmChart.Render(table, "selfie", svg: true));
        Assert.Contains("<svg", svg);
        Assert.EndsWith("</svg>", svg.TrimEnd());
    }

    [SkippableFact]
    public void Chart_labels_the_peak_and_largest_operators_and_every_tick_of_a_small_graph()
    {
        var (model, table) = Load(CorpusModels.PathOf("selfie_segmentation.tflite"));
        var graph = model.Main;
        var (rows, peak, _) = LifetimeSweepOracle.Compute(graph, Analysis.ExecutionOrder.Current(graph));
        var svg = Texts(TmmChart.Render(table, "selfie", svg: true));
        // The peak step (first reaching the sweep's peak) and the next largest totals carry "#op TYPE output".
        int peakStep = Array.FindIndex(rows, r => r.Total == peak);
        var labelled = new[] { peakStep }.Concat(Enumerable.Range(0, rows.Length).Where(s => s != peakStep)
            .OrderByDescending(s => rows[s].Total).ThenBy(s => s).Take(TmmChart.LabelledBars - 1));
        foreach (var step in labelled)
        {
            var op = graph.Operators[rows[step].Operator];
            Assert.Contains($"#{rows[step].Operator} {op.OpType} {op.Outputs[0]}", svg);
        }
        // 246 operators: too many for a label per tick.
        Assert.DoesNotContain("3 CONV_2D", svg);

        var (small, smallTable) = Load(RepositoryPaths.Combine("examples", "inception_exported.gdsl"));
        var smallSvg = Texts(TmmChart.Render(smallTable, "inception", svg: true));
        for (int step = 0; step < small.Main.Operators.Count; step++)
            Assert.Contains($"{step} {small.Main.Operators[step].OpType}", smallSvg);
    }

    /// <summary>The text of every SVG text element, trimmed and unescaped.</summary>
    private static HashSet<string> Texts(byte[] svg) =>
        System.Text.RegularExpressions.Regex.Matches(System.Text.Encoding.UTF8.GetString(svg), @"<text[^>]*>([^<]*)</text>")
            .Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value.Trim())).ToHashSet();

    [Fact]
    public void Table_is_null_before_tmm_ran()
    {
        var loaded = ModelLoader.Load(RepositoryPaths.Combine("examples", "residual.gdsl"));
        Assert.Null(TmmTable.FromModel(loaded.Model!));
    }

    private static (Model Model, TmmTable Table) Load(string path)
    {
        var loaded = ModelLoader.Load(path);
        Assert.True(loaded.Succeeded);
        var run = BuiltInPasses.Run("tmm", loaded.Model!);
        Assert.True(run.Succeeded);
        return (loaded.Model!, TmmTable.FromModel(run.Model)!);
    }
}
