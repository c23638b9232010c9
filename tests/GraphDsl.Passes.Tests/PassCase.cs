using System.Text.RegularExpressions;
using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Passes.Tests;

/// <summary>One snapshot case: <c>Cases/&lt;pass-name&gt;/&lt;case&gt;.gdsl</c> whose first line is
/// <c>// pipeline: TEXT</c>, with expected diagnostics written inline as
/// <c>// expect-error@+1 GD3101: message</c> (severity error|warning|info; <c>@+N</c> is the line
/// N below the comment that the diagnostic points at, omitted when it has no line), and the
/// expected IR after the pipeline in <c>&lt;case&gt;.verified.gdsl</c> beside it.</summary>
public sealed partial record PassCase(string Path, string Pipeline, IReadOnlyList<ExpectedDiagnostic> Expected)
{
    public static string CasesDirectory => TestKit.RepositoryPaths.Combine("tests", "GraphDsl.Passes.Tests", "Cases");

    public string VerifiedPath => System.IO.Path.ChangeExtension(Path, ".verified.gdsl");

    /// <summary>Case name relative to <see cref="CasesDirectory"/>, e.g. <c>tmm/residual</c>.</summary>
    public static string NameOf(string path) =>
        System.IO.Path.ChangeExtension(System.IO.Path.GetRelativePath(CasesDirectory, path), null).Replace('\\', '/');

    /// <summary>Every case input (not verified/received outputs), as relative names.</summary>
    public static IEnumerable<string> All() => Directory.Exists(CasesDirectory)
        ? Directory.GetFiles(CasesDirectory, "*.gdsl", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".verified.gdsl", StringComparison.Ordinal) && !f.EndsWith(".received.gdsl", StringComparison.Ordinal))
            .Select(NameOf).Order(StringComparer.Ordinal)
        : [];

    public static PassCase Load(string name)
    {
        var path = System.IO.Path.Combine(CasesDirectory, name + ".gdsl");
        var lines = File.ReadAllLines(path);
        var header = PipelineLine().Match(lines.Length > 0 ? lines[0] : "");
        if (!header.Success) throw new InvalidDataException($"{path}:1: the first line must be '// pipeline: PASSES'");
        var expected = new List<ExpectedDiagnostic>();
        for (int i = 0; i < lines.Length; i++)
        {
            var m = ExpectLine().Match(lines[i]);
            if (!m.Success) continue;
            int? line = m.Groups["offset"].Success ? i + 1 + int.Parse(m.Groups["offset"].Value) : null;
            expected.Add(new ExpectedDiagnostic(Enum.Parse<Severity>(m.Groups["severity"].Value, ignoreCase: true), m.Groups["id"].Value, line, m.Groups["message"].Value.Trim()));
        }
        return new PassCase(path, header.Groups[1].Value.Trim(), expected);
    }

    [GeneratedRegex(@"^//\s*pipeline:\s*(.+)$")]
    private static partial Regex PipelineLine();

    [GeneratedRegex(@"//\s*expect-(?<severity>error|warning|info)(@\+(?<offset>\d+))?\s+(?<id>[A-Z]+\d+):\s*(?<message>.*)$")]
    private static partial Regex ExpectLine();
}

/// <summary>A diagnostic a case expects: severity, ID, the 1-based line it points at (null when
/// it need not point into the case file) and the exact message.</summary>
public sealed record ExpectedDiagnostic(Severity Severity, string Id, int? Line, string Message)
{
    public static ExpectedDiagnostic Of(Diagnostic d, bool withLine) =>
        new(d.Severity, d.Id, withLine && d.Location is SourceSpan s ? s.Line : null, d.Message);

    public override string ToString() => $"{Severity.ToString().ToLowerInvariant()}{(Line is { } l ? "@line " + l : "")} {Id}: {Message}";
}
