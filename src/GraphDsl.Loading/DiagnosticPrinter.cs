using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Loading;

/// <summary>Writes diagnostics for people with <see cref="DiagnosticFormatter"/>: the
/// <c>path:line:col: error GDxxxx: message</c> line, then the source line and a caret when the
/// diagnostic points into a readable text file.</summary>
public sealed class DiagnosticPrinter(TextWriter output)
{
    private readonly Dictionary<string, string?> _sources = new(StringComparer.Ordinal);

    /// <summary>Prints every diagnostic, in order.</summary>
    public void Print(IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var d in diagnostics) output.WriteLine(DiagnosticFormatter.Format(d, SourceOf(d)));
    }

    private string? SourceOf(Diagnostic d)
    {
        if (d.Location is not SourceSpan span) return null;
        if (!_sources.TryGetValue(span.FilePath, out var text))
            _sources[span.FilePath] = text = File.Exists(span.FilePath) ? ModelLoader.ReadText(span.FilePath) : null;
        return text;
    }
}
