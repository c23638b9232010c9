using System.Globalization;
using CsvHelper;

namespace GraphDsl.Reports;

/// <summary>Writes a <see cref="TmmTable"/> as CSV: a header and one row per operator, in
/// execution order, with a <c>peak</c> column marking the peak operator and, on its row, a
/// <c>live_at_peak</c> column naming the activations alive then (<c>name:bytes</c>, largest first,
/// separated by <c>;</c>).</summary>
public static class TmmCsv
{
    public static byte[] Render(TmmTable table)
    {
        using var buffer = new MemoryStream();
        using (var writer = new StreamWriter(buffer, new System.Text.UTF8Encoding(false)))
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
        {
            foreach (var header in new[] { "step", "operator", "name", "type", "input_bytes", "output_bytes", "other_bytes", "total_bytes", "peak", "live_at_peak" })
                csv.WriteField(header);
            csv.NextRecord();
            foreach (var r in table.Rows)
            {
                csv.WriteField(r.Step);
                csv.WriteField(r.Operator);
                csv.WriteField(r.Name);
                csv.WriteField(r.Type);
                csv.WriteField(r.InputBytes);
                csv.WriteField(r.OutputBytes);
                csv.WriteField(r.OtherBytes);
                csv.WriteField(r.TotalBytes);
                bool peak = r.Step == table.PeakStep;
                csv.WriteField(peak ? "yes" : "");
                csv.WriteField(peak ? string.Join(";", table.PeakTensors.Select(t => $"{t.Name}:{t.Bytes.ToString(CultureInfo.InvariantCulture)}")) : "");
                csv.NextRecord();
            }
        }
        return buffer.ToArray();
    }
}
