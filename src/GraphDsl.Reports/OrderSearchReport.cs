using System.Globalization;
using System.Text.Json;
using GraphDsl.Analysis.Annotations;

namespace GraphDsl.Reports;

/// <summary>What <c>graphdsl order</c> prints for the order pass's result: the figures of
/// <c>@order_search(...)</c> and the order of the <c>@order(k)</c> annotations.</summary>
/// <param name="Model">The model's file name, as every command's output names it.</param>
/// <param name="Order"><c>Order[step]</c> is the operator run at that step.</param>
public sealed record OrderSearchReport(string Model, OrderSearchSummary Figures, IReadOnlyList<int> Order)
{
    /// <summary>The file name, then one aligned row per figure (bytes thousands-separated).</summary>
    public string Text()
    {
        var c = CultureInfo.InvariantCulture;
        long stored = Figures.StoredPeakBytes, peak = Figures.PeakBytes, lower = Figures.ProvenLowerBoundBytes, saved = stored - peak;
        var rows = new (string Name, string Value)[]
        {
            ("stored peak", stored.ToString("N0", c) + " B"),
            ("optimized peak", peak.ToString("N0", c) + " B"),
            ("saved", saved.ToString("N0", c) + " B" + (stored > 0 ? string.Create(c, $" ({100.0 * saved / stored:F1}%)") : "")),
            // The search's proven minimum over all orders, not tmm's largest single-operator footprint.
            ("proven minimum", lower.ToString("N0", c) + " B"),
            ("proven optimal", Figures.ProvenOptimal ? "yes" : $"no (gap {(peak - lower).ToString("N0", c)} B)"),
            ("states", Figures.States.ToString("N0", c)),
            ("time", Figures.SearchMs.ToString("N0", c) + " ms"),
        };
        var width = rows.Max(row => row.Name.Length);
        return Model + "\n" + string.Concat(rows.Select(row => "  " + row.Name.PadRight(width) + "  " + row.Value + "\n"));
    }

    /// <summary>One compact JSON object (snake_case keys, <c>order</c> as operator indices by step).</summary>
    public string Json()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            w.WriteString("model", Model);
            w.WriteNumber("stored_peak_bytes", Figures.StoredPeakBytes);
            w.WriteNumber("peak_bytes", Figures.PeakBytes);
            w.WriteNumber("saved_bytes", Figures.StoredPeakBytes - Figures.PeakBytes);
            w.WriteNumber("proven_lower_bound_bytes", Figures.ProvenLowerBoundBytes);
            w.WriteBoolean("proven_optimal", Figures.ProvenOptimal);
            w.WriteNumber("search_ms", (long)Figures.SearchMs);
            w.WriteNumber("states", Figures.States);
            w.WriteStartArray("order");
            foreach (var op in Order) w.WriteNumberValue(op);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
