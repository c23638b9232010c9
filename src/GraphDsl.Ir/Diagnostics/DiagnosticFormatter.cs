using System.Text;

namespace GraphDsl.Ir.Diagnostics;

/// <summary>Renders diagnostics for people: the <c>path:line:col: error ID: message</c> line,
/// then, when the source text is known, the offending line with a caret under the column.</summary>
public static class DiagnosticFormatter
{
    public static string Format(Diagnostic diagnostic, string? sourceText = null)
    {
        var sb = new StringBuilder(diagnostic.ToString());
        if (sourceText is not null && diagnostic.Location is SourceSpan span)
        {
            var line = GetLine(sourceText, span.Line);
            if (line is not null)
            {
                var printable = new string(line.Select(c => char.IsControl(c) && c != '\t' ? '?' : c).ToArray());
                sb.AppendLine().Append("  ").Append(printable);
                var caretColumn = Math.Clamp(span.Column - 1, 0, printable.Length);
                var width = Math.Max(1, Math.Min(span.Length, printable.Length - caretColumn));
                sb.AppendLine().Append("  ").Append(' ', caretColumn).Append('^', width);
            }
        }
        foreach (var (location, message) in diagnostic.Notes)
            sb.AppendLine().Append(location is null ? "graphdsl" : location.ToString()).Append(": note: ").Append(message);
        return sb.ToString();
    }

    private static string? GetLine(string text, int lineNumber)
    {
        var lines = text.Split('\n');
        if (lineNumber < 1 || lineNumber > lines.Length) return null;
        var line = lines[lineNumber - 1].TrimEnd('\r');
        return line.Length > 200 ? line[..200] : line;
    }
}
