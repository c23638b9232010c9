using ScottPlot;

namespace GraphDsl.Reports;

/// <summary>Draws a <see cref="TmmTable"/> as stacked bars, one per operator in execution order
/// (inputs, outputs, other live activations), with the peak and the largest single-operator footprint marked.</summary>
/// <remarks>Bars have no outlines and the image widens with the operator count (up to a limit),
/// so graphs with hundreds of operators stay readable. Operators are labelled: every tick names
/// its operator's type when there are at most <see cref="TickLabelLimit"/> steps, and the peak and
/// the largest bars carry their operator's label above them in any graph.</remarks>
public static class TmmChart
{
    private static readonly Color InputColor = Color.FromHex("#4C72B0");
    private static readonly Color OutputColor = Color.FromHex("#DD8452");
    private static readonly Color OtherColor = Color.FromHex("#B0B0B0");
    private static readonly Color PeakColor = Color.FromHex("#C44E52");

    /// <summary>Up to this many steps every tick names its operator type; beyond, ticks show steps only.</summary>
    public const int TickLabelLimit = 48;

    /// <summary>How many of the largest bars (the peak first) get their operator's label above them.</summary>
    public const int LabelledBars = 5;

    /// <summary>The bars labelled above: the peak step, then the largest totals, one label per step.</summary>
    public static IReadOnlyList<TmmRow> LabelledRows(TmmTable table) =>
        table.Rows.OrderByDescending(r => r.Step == table.PeakStep).ThenByDescending(r => r.TotalBytes).ThenBy(r => r.Step)
            .Take(LabelledBars).ToArray();

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
        if (table.Rows.Count is > 0 and <= TickLabelLimit)
        {
            plot.Axes.Bottom.SetTicks(table.Rows.Select(r => (double)r.Step).ToArray(),
                table.Rows.Select(r => $"{r.Step} {Shorten(r.Type)}").ToArray());
            plot.Axes.Bottom.TickLabelStyle.Rotation = -90;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.MinimumSize = 160;
        }
        foreach (var r in LabelledRows(table))
        {
            var label = plot.Add.Text($"#{r.Operator} {r.Type} {Shorten(r.Name)}", r.Step, KiB(r.TotalBytes));
            label.LabelFontSize = 11;
            label.LabelRotation = -90;
            label.LabelAlignment = Alignment.MiddleLeft;
        }

        var peak = plot.Add.VerticalLine(table.PeakStep);
        peak.Color = PeakColor;
        peak.LineWidth = 1.5f;
        peak.LinePattern = LinePattern.Dashed;
        var bound = plot.Add.HorizontalLine(KiB(table.LargestOperatorBytes));
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
            LabelText = $"largest single-operator footprint {KiB(table.LargestOperatorBytes):0.#} KiB",
            LineColor = Colors.Black, LineWidth = 2, LinePattern = LinePattern.Dotted,
        });
        plot.ShowLegend(Alignment.UpperRight);

        plot.Title($"{title}: activation memory per operator ({table.View} view)");
        plot.XLabel("execution step");
        plot.YLabel("activation KiB");
        // Headroom above the bars for the vertical operator labels.
        plot.Axes.Margins(bottom: 0, top: 0.45, left: 0.01, right: 0.01);
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
