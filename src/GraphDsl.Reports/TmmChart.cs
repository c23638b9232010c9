using ScottPlot;

namespace GraphDsl.Reports;

/// <summary>Draws a <see cref="TmmTable"/> as stacked bars, one per operator in execution order
/// (inputs, outputs, other live activations), with the peak and the lower bound marked.</summary>
/// <remarks>Bars have no outlines and the image widens with the operator count (up to a limit),
/// so graphs with hundreds of operators stay readable; tick labels show steps, not names.</remarks>
public static class TmmChart
{
    private static readonly Color InputColor = Color.FromHex("#4C72B0");
    private static readonly Color OutputColor = Color.FromHex("#DD8452");
    private static readonly Color OtherColor = Color.FromHex("#B0B0B0");
    private static readonly Color PeakColor = Color.FromHex("#C44E52");

    /// <summary>PNG bytes, or SVG text as UTF-8 bytes when <paramref name="svg"/> is true.</summary>
    public static byte[] Render(TmmTable table, string title, bool svg)
    {
        var plot = Build(table, title);
        int width = Math.Clamp(220 + 6 * table.Rows.Count, 1000, 3600);
        const int height = 700;
        return svg
            ? System.Text.Encoding.UTF8.GetBytes(plot.GetSvgXml(width, height))
            : plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    private static Plot Build(TmmTable table, string title)
    {
        var plot = new Plot();
        var bars = new List<Bar>(table.Rows.Count * 3);
        foreach (var r in table.Rows)
        {
            double inputs = KiB(r.InputBytes), outputs = KiB(r.OutputBytes), other = KiB(r.OtherBytes);
            bars.Add(Segment(r.Step, 0, inputs, InputColor));
            bars.Add(Segment(r.Step, inputs, inputs + outputs, OutputColor));
            bars.Add(Segment(r.Step, inputs + outputs, inputs + outputs + other, OtherColor));
        }
        plot.Add.Bars(bars);

        var peak = plot.Add.VerticalLine(table.PeakStep);
        peak.Color = PeakColor;
        peak.LineWidth = 1.5f;
        peak.LinePattern = LinePattern.Dashed;
        var bound = plot.Add.HorizontalLine(KiB(table.LowerBoundBytes));
        bound.Color = Colors.Black;
        bound.LinePattern = LinePattern.Dotted;

        var peakRow = table.PeakStep >= 0 ? table.Rows[table.PeakStep] : null;
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "inputs", FillColor = InputColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "outputs", FillColor = OutputColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "other live", FillColor = OtherColor });
        plot.Legend.ManualItems.Add(new LegendItem
        {
            LabelText = peakRow is null ? "peak" : $"peak {KiB(table.PeakBytes):0.#} KiB at step {peakRow.Step} ({peakRow.Type} {Shorten(peakRow.Name)})",
            LineColor = PeakColor, LineWidth = 2, LinePattern = LinePattern.Dashed,
        });
        plot.Legend.ManualItems.Add(new LegendItem
        {
            LabelText = $"lower bound {KiB(table.LowerBoundBytes):0.#} KiB",
            LineColor = Colors.Black, LineWidth = 2, LinePattern = LinePattern.Dotted,
        });
        plot.ShowLegend(Alignment.UpperRight);

        plot.Title($"{title}: activation memory per operator ({table.View} view)");
        plot.XLabel("execution step");
        plot.YLabel("activation KiB");
        plot.Axes.Margins(bottom: 0, left: 0.01, right: 0.01);
        return plot;
    }

    private static Bar Segment(int position, double from, double to, Color color) => new()
    {
        Position = position,
        ValueBase = from,
        Value = to,
        FillColor = color,
        LineWidth = 0,
        Size = 0.85,
    };

    private static double KiB(long bytes) => bytes / 1024.0;

    private static string Shorten(string name) => name.Length <= 40 ? name : name[..37] + "...";
}
