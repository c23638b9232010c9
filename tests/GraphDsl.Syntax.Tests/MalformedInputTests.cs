using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Loading;
using Xunit;

namespace GraphDsl.Syntax.Tests;

/// <summary>Malformed text yields the right diagnostic at the exact line:col, and nothing throws.</summary>
public class MalformedInputTests
{
    private const string G = "graph g(x: i8[1]) -> (x) {\n";

    /// <summary>Name, text, expected ID, line, column (1-based, of the first diagnostic with that ID).</summary>
    public static TheoryData<string, string, string, int, int> Cases => new()
    {
        { "empty file", "", "GD0003", 1, 1 },
        { "only a comment", "// nothing here\n", "GD0003", 2, 1 },
        { "truncated inside a shape", "graph g(x) -> (y) {\n  tensor x: i8[1", "GD0002", 2, 17 },
        { "truncated before the closing brace", G + "  tensor y: i8[1]\n", "GD0002", 3, 1 },
        { "unbalanced bracket", G + "  tensor y: i8[1]]\n}\n", "GD0002", 2, 18 },
        { "unbalanced parenthesis", "graph g(x -> (x) {\n}\n", "GD0002", 1, 11 },
        { "number with two dots", G + "  @a(v=1.2.3)\n}\n", "GD0002", 2, 11 },
        { "integer beyond 64 bits", G + "  @a(v=99999999999999999999)\n}\n", "GD0004", 2, 8 },
        { "float beyond double range", G + "  @a(v=1e999)\n}\n", "GD0005", 2, 8 },
        { "odd number of hex digits", G + "  @a(v=b\"abc\")\n}\n", "GD0006", 2, 8 },
        { "unexpected character", G + "  # comment\n}\n", "GD0001", 2, 3 },
        { "unterminated string", "graph \"abc\n", "GD0001", 1, 7 },
        { "binary garbage", "\u0000\u0001\u00ff\u0002graph", "GD0001", 1, 1 },
        { "statement outside a graph", "tensor x: i8[1]\n", "GD0002", 1, 1 },
        { "unknown element type", G + "  tensor y: q8[1]\n}\n", "GD1001", 2, 13 },
        { "star inside a shape", G + "  tensor y: f32[?,batch,*]\n}\n", "GD1002", 2, 25 },
        { "negative dimension", G + "  tensor y: f32[-1]\n}\n", "GD1002", 2, 17 },
        { "inline int out of range", G + "  const c: i8[2] = [1, 300]\n}\n", "GD1003", 2, 24 },
        { "float in an int constant", G + "  const c: i32[1] = [1.5]\n}\n", "GD1003", 2, 22 },
        { "duplicate attribute", G + "  y: i8[1] = RELU(x) {a=1, a=2}\n}\n", "GD1004", 2, 28 },
        { "duplicate annotation", G + "  y: i8[1] = RELU(x) @pinned @pinned\n}\n", "GD1004", 2, 31 },
        { "quantization without zero_point", G + "  tensor y: i8[1] q(scale=0.5)\n}\n", "GD1005", 2, 19 },
        { "undefined tensor", "graph g(x: i8[1]) -> (y) {\n  y: i8[1] = RELU(z)\n}\n", "GD1101", 2, 3 },
        { "duplicate tensor", G + "  tensor x: i8[1]\n}\n", "GD1102", 2, 10 },
        { "output is also input", "graph g(x: i8[1]) -> (x) {\n  x = RELU(x)\n}\n", "GD1103", 2, 3 },
        { "two producers", "graph g(x: i8[1]) -> (y) {\n  y: i8[1] = RELU(x)\n  y = RELU(x)\n}\n", "GD1104", 3, 3 },
        { "cycle", "graph g(x: i8[1]) -> (b) {\n  tensor a: i8[1]\n  tensor b: i8[1]\n  a = ADD(x, b)\n  b = RELU(a)\n}\n", "GD1105", 4, 3 },
        { "duplicate graph input", "graph g(x: i8[1], x) -> (x) {\n}\n", "GD1106", 1, 7 },
        { "graph output not defined", "graph g(x: i8[1]) -> (nope) {\n}\n", "GD1107", 1, 7 },
        { "constant produced by an operator", G + "  const c: i8[1]\n  c = RELU(x)\n}\n", "GD1108", 3, 3 },
        { "duplicate graph name", G + "}\n" + G + "}\n", "GD1109", 3, 7 },
        { "nesting too deep", new string('[', 1000), "GD0002", 1, 201 },
        { "keyword as a tensor name", "graph main(q: i8[1,4]) -> (y) {\n  y: i8[1,4] = RELU(q)\n}\n", "GD0009", 1, 12 },
        { "keyword as a result name", G + "  graph: i8[1] = RELU(x)\n}\n", "GD0009", 2, 3 },
        { "result without a type", "graph main(x: i8[1,4]) -> (y) {\n  h = RELU(x)\n  y: i8[1,4] = RELU(h)\n}\n", "GD1111", 2, 3 },
        { "missing ')' at the end of line 2", "graph main(x: i8[1,4]) -> (y) {\n  y: i8[1,4] = RELU(x\n}\n", "GD0002", 2, 22 },
    };

    [Fact]
    public void Graph_language_messages_say_what_to_write()
    {
        string Messages(string text) => string.Join("\n", ModelLoader.Verified(GraphDslSyntax.Parse(text, "case.gdsl")).Diagnostics);
        Assert.Equal("case.gdsl:1:12: error GD0009: 'q' is a keyword of the graph language; a name spelled like it must be quoted: \"q\"",
            Messages("graph main(q: i8[1,4]) -> (y) {\n  y: i8[1,4] = RELU(q)\n}\n").Split('\n')[0]);
        // The untyped result is one mistake: one diagnostic, at its writer, not one per reader.
        var untyped = ModelLoader.Verified(GraphDslSyntax.Parse("graph main(x: i8[1,4]) -> (y) {\n  h = RELU(x)\n  y: i8[1,4] = RELU(h)\n}\n", "case.gdsl")).Diagnostics;
        var d = Assert.Single(untyped);
        Assert.Equal("the result 'h' of operator #0 RELU has no type: write 'h: TYPE = RELU(...)' (e.g. h: f32[1,8]) or declare 'tensor h: TYPE'", d.Message);
        Assert.StartsWith("case.gdsl:2:22: error GD0002: expected {')', ','} at the end of the line (found '}' on line 3)",
            Messages("graph main(x: i8[1,4]) -> (y) {\n  y: i8[1,4] = RELU(x\n}\n"));
        // A quoted keyword is an ordinary name.
        Assert.True(ModelLoader.Verified(GraphDslSyntax.Parse("graph main(\"q\": i8[1,4]) -> (y) {\n  y: i8[1,4] = RELU(\"q\")\n}\n", "case.gdsl")).Succeeded);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reports_the_diagnostic_at_the_exact_position(string name, string text, string id, int line, int column)
    {
        var result = ModelLoader.Verified(GraphDslSyntax.Parse(text, "case.gdsl"));
        Assert.False(result.Succeeded, name);
        Assert.Null(result.Model);
        var d = result.Diagnostics.FirstOrDefault(x => x.Id == id);
        Assert.True(d is not null, $"{name}: expected {id}, got:\n" + string.Join("\n", result.Diagnostics));
        var span = Assert.IsType<SourceSpan>(d.Location);
        Assert.Equal((line, column), (span.Line, span.Column));
        Assert.Equal("case.gdsl", span.FilePath);
    }

    [Fact]
    public void Several_syntax_errors_are_reported_in_one_run()
    {
        var text = G + "  tensor a: i8[1]]\n  tensor b: i8[1]]\n}\n";
        var result = GraphDslSyntax.Parse(text, "case.gdsl");
        var positions = result.Diagnostics.Select(d => (SourceSpan)d.Location!).Select(s => (s.Line, s.Column)).ToList();
        Assert.Contains((2, 18), positions);
        Assert.Contains((3, 18), positions);
    }

    [Fact]
    public void Duplicate_tensor_notes_where_it_was_first_declared()
    {
        var result = ModelLoader.Verified(GraphDslSyntax.Parse(G + "  tensor x: i8[1]\n}\n", "case.gdsl"));
        var note = Assert.Single(result.Diagnostics.Single(d => d.Id == "GD1102").Notes);
        Assert.Equal("first declared here", note.Message);
        Assert.Equal((1, 9), (((SourceSpan)note.Location!).Line, ((SourceSpan)note.Location!).Column));
    }

    [Fact]
    public void Cycle_message_names_the_tensors_on_the_cycle()
    {
        var text = "graph g(x: i8[1]) -> (c) {\n  tensor a: i8[1]\n  tensor b: i8[1]\n  tensor c: i8[1]\n" +
                   "  a = ADD(x, b)\n  b = RELU(a)\n  c = RELU(b)\n}\n";
        var d = ModelLoader.Verified(GraphDslSyntax.Parse(text, "case.gdsl")).Diagnostics.Single(x => x.Id == "GD1105");
        Assert.Contains("'a'", d.Message);
        Assert.Contains("'b'", d.Message);
        Assert.DoesNotContain("'c'", d.Message);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(7);
        for (int i = 0; i < 200; i++)
        {
            var chars = new char[random.Next(0, 300)];
            for (int j = 0; j < chars.Length; j++) chars[j] = (char)random.Next(0, 256);
            var result = GraphDslSyntax.Parse(new string(chars), "garbage.gdsl");
            Assert.All(result.Diagnostics, d => Assert.StartsWith("GD", d.Id));
        }
    }

    [Fact]
    public void Truncations_of_a_valid_file_never_throw()
    {
        var text = File.ReadAllText(TestKit.RepositoryPaths.Combine("examples", "inception.gdsl"));
        for (int n = 0; n < text.Length; n += 7)
        {
            var result = GraphDslSyntax.Parse(text[..n], "cut.gdsl");
            if (result.Model is not null) IrVerifier.Verify(result.Model);
        }
    }
}
