using System.Globalization;
using System.Net;
using System.Text;
using GraphDsl.Analysis;
using GraphDsl.Lowering;

namespace GraphDsl.Reports.Html;

/// <summary>Draws the report's charts as inline SVG. Inline SVG in HTML needs no namespace
/// declaration, so the page holds no URL at all.</summary>
internal static class SvgCharts
{
    private const int Width = 1100;
    private const int Left = 80, Right = 20, Top = 20, Bottom = 40;

    /// <summary>Activation bytes alive at each step (inputs, outputs, everything else stacked),
    /// with the peak marked and the largest single-operator footprint drawn as a dashed line. Both charts of a report
    /// share <paramref name="yMax"/> so that they compare at a glance.</summary>
    public static string MemoryPerStep(MemoryProfile profile, long yMax, string title, Func<int, string> operatorLabel)
    {
        const int height = 280;
        int plotW = Width - Left - Right, plotH = height - Top - Bottom;
        int n = Math.Max(1, profile.Rows.Count);
        double barW = (double)plotW / n;
        double Y(long bytes) => Top + plotH - (double)bytes / Math.Max(1, yMax) * plotH;
        var sb = Open(height, title);
        Axes(sb, plotW, plotH, yMax, "step", Y);
        foreach (var row in profile.Rows)
        {
            double x = Left + row.Step * barW;
            long baseBytes = 0;
            var tip = $"step {row.Step}: {operatorLabel(row.Operator)}\ninputs {row.InputBytes:N0} B, outputs {row.OutputBytes:N0} B, other live {row.OtherBytes:N0} B, total {row.TotalBytes:N0} B";
            foreach (var (bytes, css) in new[] { (row.OtherBytes, "other"), (row.InputBytes, "in"), (row.OutputBytes, "out") })
            {
                if (bytes <= 0) continue;
                sb.Append(CultureInfo.InvariantCulture,
                    $"<rect class=\"{css}\" x=\"{x:F2}\" y=\"{Y(baseBytes + bytes):F2}\" width=\"{Math.Max(0.5, barW - 0.5):F2}\" height=\"{Y(baseBytes) - Y(baseBytes + bytes):F2}\"><title>{Esc(tip)}</title></rect>");
                baseBytes += bytes;
            }
        }
        double peakX = profile.PeakStep < 0 ? Left : Left + (profile.PeakStep + 0.5) * barW, peakY = Y(profile.PeakBytes);
        sb.Append(CultureInfo.InvariantCulture,
            $"<line class=\"peak\" x1=\"{Left}\" x2=\"{Left + plotW}\" y1=\"{peakY:F2}\" y2=\"{peakY:F2}\"/>" +
            $"<circle class=\"peakdot\" cx=\"{peakX:F2}\" cy=\"{peakY:F2}\" r=\"5\"/>" +
            $"<text class=\"peaklabel\" x=\"{Math.Min(peakX + 8, Left + plotW - 260):F2}\" y=\"{Math.Max(Top + 12, peakY - 8):F2}\">peak {profile.PeakBytes:N0} B at step {profile.PeakStep}</text>");
        double lb = Y(profile.LargestOperatorBytes);
        sb.Append(CultureInfo.InvariantCulture,
            $"<line class=\"bound\" x1=\"{Left}\" x2=\"{Left + plotW}\" y1=\"{lb:F2}\" y2=\"{lb:F2}\"/>" +
            $"<text class=\"boundlabel\" x=\"{Left + 6}\" y=\"{lb + 14:F2}\">largest single operator {profile.LargestOperatorBytes:N0} B</text>");
        return Close(sb);
    }

    /// <summary>The arena as TinyML people draw it: time (execution steps) across, byte offset
    /// up, one rectangle per tensor from its first to its last live step.</summary>
    public static string ArenaLayout(LoweringPlan plan, long yMax, string title)
    {
        const int height = 420;
        int plotW = Width - Left - Right, plotH = height - Top - Bottom;
        // Step -1 (before the first operator, graph inputs only) gets a column when used.
        int from = plan.Placements.Count == 0 ? 0 : Math.Min(0, plan.Placements.Min(p => p.First));
        int n = Math.Max(1, plan.Order.Count - from);
        double stepW = (double)plotW / n;
        double Y(long bytes) => Top + plotH - (double)bytes / Math.Max(1, yMax) * plotH;
        var sb = Open(height, title);
        Axes(sb, plotW, plotH, yMax, "step", Y);
        foreach (var p in plan.Placements)
        {
            double x = Left + (p.First - from) * stepW, w = Math.Max(1, (p.Last - p.First + 1) * stepW);
            double y = Y(p.End), h = Math.Max(1, Y(p.Offset) - Y(p.End));
            int producer = plan.Graph.ProducerOf(p.Name);
            var tip = $"{p.Name}\noffset {p.Offset:N0}, size {p.Size:N0} B, steps {p.First}..{p.Last}" +
                      (producer < 0 ? "\ngraph input" : $"\nwritten by {plan.Graph.Operators[producer].Label(producer)}") +
                      (p.AliasOf is null ? "" : $"\nshares the bytes of {p.AliasOf}");
            sb.Append(CultureInfo.InvariantCulture,
                $"<rect class=\"tensor\" style=\"fill:{Color(p.Name)}\" x=\"{x:F2}\" y=\"{y:F2}\" width=\"{w:F2}\" height=\"{h:F2}\"><title>{Esc(tip)}</title></rect>");
            // The tensor's name on its rectangle where it fits (the tooltip names the operator that writes it).
            if (FitLabel(p.Name, w, h) is { } text)
                sb.Append(CultureInfo.InvariantCulture,
                    $"<text class=\"tname\" x=\"{x + 2:F2}\" y=\"{y + h / 2 + 3.5:F2}\">{Esc(text)}</text>");
        }
        double top = Y(plan.ArenaBytes);
        sb.Append(CultureInfo.InvariantCulture,
            $"<line class=\"peak\" x1=\"{Left}\" x2=\"{Left + plotW}\" y1=\"{top:F2}\" y2=\"{top:F2}\"/>" +
            $"<text class=\"peaklabel\" x=\"{Left + plotW - 260}\" y=\"{Math.Max(Top + 12, top - 6):F2}\">arena {plan.ArenaBytes:N0} B</text>");
        return Close(sb);
    }

    /// <summary>Width of one character of a rectangle's label at 10 px (an upper estimate).</summary>
    private const double LabelCharWidth = 6.2;

    /// <summary>The label shown on a rectangle <paramref name="w"/> x <paramref name="h"/> px: the
    /// name, shortened with "..." to fit, or null when not even a few characters fit.</summary>
    public static string? FitLabel(string name, double w, double h)
    {
        int room = (int)((w - 4) / LabelCharWidth);
        if (h < 11 || room < 4) return null;
        return name.Length <= room ? name : name[..(room - 3)] + "...";
    }

    private static StringBuilder Open(int height, string title)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture,
            $"<svg role=\"img\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\"><title>{Esc(title)}</title>");
        return sb;
    }

    private static string Close(StringBuilder sb) => sb.Append("</svg>").ToString();

    private static void Axes(StringBuilder sb, int plotW, int plotH, long yMax, string xLabel, Func<long, double> y)
    {
        sb.Append(CultureInfo.InvariantCulture,
            $"<rect class=\"plot\" x=\"{Left}\" y=\"{Top}\" width=\"{plotW}\" height=\"{plotH}\"/>");
        for (int i = 0; i <= 4; i++)
        {
            long v = yMax * i / 4;
            double yy = y(v);
            sb.Append(CultureInfo.InvariantCulture,
                $"<line class=\"grid\" x1=\"{Left}\" x2=\"{Left + plotW}\" y1=\"{yy:F2}\" y2=\"{yy:F2}\"/>" +
                $"<text class=\"tick\" x=\"{Left - 6}\" y=\"{yy + 4:F2}\" text-anchor=\"end\">{Bytes(v)}</text>");
        }
        sb.Append(CultureInfo.InvariantCulture,
            $"<text class=\"tick\" x=\"{Left + plotW / 2}\" y=\"{Top + plotH + 28}\" text-anchor=\"middle\">{xLabel}</text>");
    }

    /// <summary>Short byte counts for axis ticks: 12 KiB, 1.5 MiB.</summary>
    public static string Bytes(long v) => v switch
    {
        >= 1 << 20 => (v / 1048576.0).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
        >= 1 << 10 => (v / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
        _ => v.ToString(CultureInfo.InvariantCulture) + " B",
    };

    /// <summary>A stable color per tensor name, so a tensor has the same color in both pictures.</summary>
    private static string Color(string name)
    {
        uint h = 2166136261;
        foreach (var c in name) h = (h ^ c) * 16777619;
        return $"hsl({h % 360},60%,{55 + h / 360 % 20}%)";
    }

    public static string Esc(string text) => WebUtility.HtmlEncode(text);
}
