using System.Text;
using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Pipeline;

/// <summary>Reads and writes pipelines as text, MLIR-style:
/// <c>tmm,order{strategy=exact,time-limit=10},arena{align=16}</c>.</summary>
/// <remarks>
/// Grammar (whitespace allowed around every token):
/// <code>
/// pipeline := step (',' step)*
/// step     := NAME ('{' [option (',' option)*] '}')?
/// option   := NAME '=' value
/// value    := '"' (char | '\"' | '\\')* '"' | bare text up to ',' or '}'
/// NAME     := [A-Za-z0-9_.-]+
/// </code>
/// <see cref="Print"/> writes the same syntax; <c>Parse(Print(p))</c> gives back <c>p</c>.
/// Diagnostics point at the 1-based column of the pipeline text, in a pseudo file named
/// <see cref="SourceName"/>.
/// </remarks>
public static class PipelineText
{
    public const string SourceName = "<pipeline>";

    public static IReadOnlyList<PipelineStep>? Parse(string text, DiagnosticBag diagnostics)
    {
        var reader = new Reader(text, diagnostics);
        var steps = reader.ReadPipeline();
        return steps;
    }

    public static string Print(IEnumerable<PipelineStep> steps) =>
        string.Join(",", steps.Select(s => s.Options.Count == 0
            ? s.PassName
            : s.PassName + "{" + string.Join(",", s.Options.Select(o => o.Key + "=" + PrintValue(o.Value))) + "}"));

    private static string PrintValue(string value) =>
        value.Length > 0 && value.All(c => !char.IsWhiteSpace(c) && c is not (',' or '{' or '}' or '=' or '"'))
            ? value
            : "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';

    private sealed class Reader(string text, DiagnosticBag diagnostics)
    {
        private int _pos;

        public IReadOnlyList<PipelineStep>? ReadPipeline()
        {
            var steps = new List<PipelineStep>();
            SkipSpace();
            if (_pos == text.Length) return steps;
            while (true)
            {
                var step = ReadStep();
                if (step is null) return null;
                steps.Add(step);
                SkipSpace();
                if (_pos == text.Length) return steps;
                if (text[_pos] != ',') return Fail<IReadOnlyList<PipelineStep>>($"expected ',' or the end after pass '{step.PassName}', found '{text[_pos]}'");
                _pos++;
                SkipSpace();
            }
        }

        private PipelineStep? ReadStep()
        {
            int start = _pos;
            var name = ReadName("a pass name");
            if (name is null) return null;
            SkipSpace();
            var options = new List<KeyValuePair<string, string>>();
            if (_pos < text.Length && text[_pos] == '{')
            {
                _pos++;
                SkipSpace();
                if (_pos < text.Length && text[_pos] == '}') { _pos++; return new PipelineStep(name, options, start); }
                while (true)
                {
                    SkipSpace();
                    var key = ReadName($"an option name of pass '{name}'");
                    if (key is null) return null;
                    SkipSpace();
                    if (_pos >= text.Length || text[_pos] != '=') return Fail<PipelineStep>($"expected '=' after option '{key}' of pass '{name}'");
                    _pos++;
                    SkipSpace();
                    var value = ReadValue();
                    if (value is null) return null;
                    options.Add(KeyValuePair.Create(key, value));
                    SkipSpace();
                    if (_pos >= text.Length) return Fail<PipelineStep>($"missing '}}' closing the options of pass '{name}'");
                    if (text[_pos] == '}') { _pos++; break; }
                    if (text[_pos] != ',') return Fail<PipelineStep>($"expected ',' or '}}' in the options of pass '{name}', found '{text[_pos]}'");
                    _pos++;
                }
            }
            return new PipelineStep(name, options, start);
        }

        private string? ReadName(string what)
        {
            int start = _pos;
            while (_pos < text.Length && IsNameChar(text[_pos])) _pos++;
            if (_pos == start)
                return Fail<string>(_pos < text.Length ? $"expected {what}, found '{text[_pos]}'" : $"expected {what} at the end");
            return text[start.._pos];
        }

        private string? ReadValue()
        {
            if (_pos < text.Length && text[_pos] == '"')
            {
                var sb = new StringBuilder();
                _pos++;
                while (_pos < text.Length && text[_pos] != '"')
                {
                    if (text[_pos] == '\\' && _pos + 1 < text.Length) _pos++;
                    sb.Append(text[_pos++]);
                }
                if (_pos >= text.Length) return Fail<string>("unterminated quoted value");
                _pos++;
                return sb.ToString();
            }
            int start = _pos;
            while (_pos < text.Length && text[_pos] is not (',' or '}' or '{' or '=')) _pos++;
            var value = text[start.._pos].Trim();
            if (value.Length == 0) { _pos = start; return Fail<string>("expected an option value"); }
            return value;
        }

        private void SkipSpace() { while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++; }

        private T? Fail<T>(string message) where T : class
        {
            diagnostics.Report(PipelineDiagnostics.PipelineSyntax, new SourceSpan(SourceName, 1, _pos + 1, 1), message);
            return null;
        }

    }
}
