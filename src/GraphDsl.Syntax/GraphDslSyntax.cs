using Antlr4.Runtime;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Syntax.Generated;

namespace GraphDsl.Syntax;

/// <summary>The graph-language front end: text in, <see cref="ReadResult"/> out. Never throws on
/// any input, including empty text and binary garbage.</summary>
public static class GraphDslSyntax
{
    /// <summary>Deeper bracket nesting than this is rejected before parsing: the recursive-descent
    /// parser would otherwise overflow the stack, which no catch can recover from.</summary>
    public const int MaxNesting = 200;

    /// <summary>Parses <paramref name="text"/>; <paramref name="path"/> is used in locations only.
    /// The model is null when any error was reported. Structural checks (undefined tensors, cycles)
    /// are the job of <see cref="IrVerifier"/>, which callers run on the result.</summary>
    public static ReadResult Parse(string text, string path)
    {
        var diagnostics = new DiagnosticBag();
        try
        {
            if (TooDeep(text, path) is { } deep) return ReadResult.Failure(deep);
            var listener = new SyntaxErrorListener(path, diagnostics);
            var lexer = new GraphDslLexer(new AntlrInputStream(text));
            lexer.RemoveErrorListeners();
            lexer.AddErrorListener(listener);
            var parser = new GraphDslParser(new CommonTokenStream(lexer));
            parser.RemoveErrorListeners();
            parser.AddErrorListener(listener);
            var tree = parser.file();
            // A tree repaired by error recovery has holes; building from it would only add noise.
            if (listener.Count > 0) return new ReadResult(null, diagnostics.ToList());
            var model = (Model?)new IrBuilder(path, diagnostics).VisitFile(tree);
            return new ReadResult(diagnostics.HasErrors ? null : model, diagnostics.ToList());
        }
        catch (SyntaxErrorListener.ErrorLimitReached)
        {
            return new ReadResult(null, diagnostics.ToList());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            diagnostics.Report(SyntaxDiagnostics.Unreadable, new SourceSpan(path, 1, 1), e.Message);
            return new ReadResult(null, diagnostics.ToList());
        }
    }

    /// <summary>A diagnostic at the first bracket nested deeper than <see cref="MaxNesting"/>
    /// (outside strings), or null.</summary>
    private static Diagnostic? TooDeep(string text, string path)
    {
        int depth = 0, line = 1, column = 1;
        bool inString = false;
        for (int i = 0; i < text.Length; i++, column++)
        {
            var c = text[i];
            if (c == '\n') { line++; column = 0; inString = false; continue; }
            if (inString)
            {
                if (c == '\\') { i++; column++; }
                else if (c == '"') inString = false;
                continue;
            }
            switch (c)
            {
                case '"': inString = true; break;
                case '(' or '[' or '{':
                    if (++depth > MaxNesting)
                        return Diagnostic.Create(SyntaxDiagnostics.SyntaxError, new SourceSpan(path, line, column, 1), $"brackets nested deeper than {MaxNesting}");
                    break;
                case ')' or ']' or '}': depth = Math.Max(0, depth - 1); break;
            }
        }
        return null;
    }
}
