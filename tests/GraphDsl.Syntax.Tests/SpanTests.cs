using System.Text;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.TestKit;
using Xunit;

namespace GraphDsl.Syntax.Tests;

/// <summary>Every node of a parsed example points at its text: the dump of
/// <c>line:col+length -> node</c> is snapshotted, and each span is checked to cover the node's name.</summary>
public class SpanTests
{
    [Fact]
    public void Residual_example_spans_match_snapshot_and_cover_names()
    {
        var path = RepositoryPaths.Combine("examples", "residual.gdsl");
        var text = File.ReadAllText(path);
        var model = GraphDslSyntax.Parse(text, "residual.gdsl").Model!;
        var lines = text.Split('\n');
        var dump = new StringBuilder();
        foreach (var g in model.Graphs)
        {
            Line(dump, g.Origin, "graph " + g.Name);
            foreach (var t in g.Tensors)
            {
                Line(dump, t.Origin, "tensor " + t.Name);
                // Independent check: the span text in the source is the tensor's name.
                var s = (SourceSpan)t.Origin.Location!;
                Assert.Equal(t.Name, lines[s.Line - 1].Substring(s.Column - 1, s.Length));
            }
            foreach (var op in g.Operators)
            {
                Line(dump, op.Origin, "op " + op.OpType + " -> " + string.Join(",", op.Outputs));
                var s = (SourceSpan)op.Origin.Location!;
                Assert.Contains(op.OpType + "(", lines[s.Line - 1].Substring(s.Column - 1, s.Length));
            }
        }
        Snapshot.Verify(dump.ToString(), Snapshot.PathBeside("Snapshots/residual.spans"));
    }

    private static void Line(StringBuilder sb, Origin origin, string node)
    {
        var s = (SourceSpan)origin.Location!;
        sb.Append(s.Line).Append(':').Append(s.Column).Append('+').Append(s.Length).Append(" -> ").Append(node).Append('\n');
    }
}
