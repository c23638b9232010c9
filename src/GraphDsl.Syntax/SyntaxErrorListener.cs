using System.Text.RegularExpressions;
using Antlr4.Runtime;
using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Syntax;

/// <summary>Turns ANTLR lexer and parser errors into GD0xxx diagnostics at the offending token
/// (ANTLR columns are 0-based; <see cref="SourceSpan"/> columns are 1-based).</summary>
/// <remarks>Error recovery keeps going after the first error, so one run reports several; at
/// <see cref="MaxErrors"/> the parse is abandoned (<see cref="ErrorLimitReached"/>): binary garbage
/// would otherwise produce one error per byte, and recovery inside a long malformed list re-reads
/// the list at every error (a 1 MB list of numbers took 24 s, fuzz input gdsl-1-3476).</remarks>
internal sealed class SyntaxErrorListener : IAntlrErrorListener<int>, IAntlrErrorListener<IToken>
{
    private const int MaxErrors = 25;

    /// <summary>Longest offending text quoted in a message; ANTLR quotes every token since the start
    /// of a failed decision, which in a long list is the whole list.</summary>
    private const int MaxQuotedChars = 80;

    /// <summary>Thrown to stop the parser once <see cref="MaxErrors"/> errors are reported; not a
    /// <see cref="RecognitionException"/>, so ANTLR's recovery does not catch it.</summary>
    internal sealed class ErrorLimitReached : Exception;
    private readonly string _path;
    private readonly DiagnosticBag _diagnostics;
    private int _count;

    public SyntaxErrorListener(string path, DiagnosticBag diagnostics)
    {
        _path = path;
        _diagnostics = diagnostics;
    }

    public int Count => _count;

    // Lexer errors: ANTLR says "token recognition error at: 'x'".
    public void SyntaxError(TextWriter output, IRecognizer recognizer, int offendingSymbol, int line, int charPositionInLine, string msg, RecognitionException e)
    {
        var text = msg.StartsWith("token recognition error at: ", StringComparison.Ordinal)
            ? msg["token recognition error at: ".Length..]
            : msg;
        Report(SyntaxDiagnostics.UnexpectedCharacter, line, charPositionInLine, 1, Printable(text));
    }

    public void SyntaxError(TextWriter output, IRecognizer recognizer, IToken offendingSymbol, int line, int charPositionInLine, string msg, RecognitionException e)
    {
        var length = offendingSymbol is { Type: not TokenConstants.EOF } t ? Math.Max(1, t.StopIndex - t.StartIndex + 1) : 1;
        var text = Rephrase(msg);
        // A keyword where a name is expected: the name must be quoted ("q").
        if (offendingSymbol is { } keyword && IsKeyword(keyword) && msg.Contains("ID", StringComparison.Ordinal))
        {
            Report(SyntaxDiagnostics.KeywordAsName, line, charPositionInLine, length, keyword.Text);
            return;
        }
        // Something missing at the end of a line (a ')' say) is found only at the next token,
        // often on a later line: report it right after the last token before it.
        if (msg.StartsWith("mismatched input", StringComparison.Ordinal) || msg.StartsWith("missing", StringComparison.Ordinal)
            || msg.StartsWith("extraneous input", StringComparison.Ordinal))
        {
            if (recognizer is Parser parser && offendingSymbol is { Type: not TokenConstants.EOF } found && parser.InputStream is ITokenStream tokens
                && found.TokenIndex > 0 && PreviousOnChannel(tokens, found.TokenIndex) is { } previous && previous.Line < found.Line)
            {
                int endColumn = previous.Column + Math.Max(1, previous.StopIndex - previous.StartIndex + 1);
                Report(SyntaxDiagnostics.SyntaxError, previous.Line, endColumn, 1,
                    Regex.Replace(text, "^unexpected (.*); expected (.*)$", "expected $2 at the end of the line (found $1 on line " + found.Line + ")"));
                return;
            }
        }
        Report(SyntaxDiagnostics.SyntaxError, line, charPositionInLine, length, text);
    }

    private static IToken? PreviousOnChannel(ITokenStream tokens, int index)
    {
        for (int i = index - 1; i >= 0; i--)
            if (tokens.Get(i) is { Channel: TokenConstants.DefaultChannel } t) return t;
        return null;
    }

    /// <summary>Words the lexer makes keywords (model, graph, q, ...): letters only and not an identifier token.</summary>
    private static bool IsKeyword(IToken token) =>
        token.Type is not (TokenConstants.EOF or Generated.GraphDslLexer.ID) && token.Text is { Length: > 0 } w && w.All(char.IsAsciiLetterLower);

    private void Report(Ir.Diagnostics.DiagnosticDescriptor descriptor, int line, int column, int length, string arg)
    {
        _count++;
        if (_count < MaxErrors) _diagnostics.Report(descriptor, new SourceSpan(_path, line, column + 1, length), arg);
        else
        {
            _diagnostics.Report(SyntaxDiagnostics.TooManyErrors, new SourceSpan(_path, line, column + 1, length), MaxErrors - 1);
            throw new ErrorLimitReached();
        }
    }

    /// <summary>ANTLR's messages in the words of the language: "unexpected ']'; expected one of
    /// {...}", token kinds named as the README names them, the end of input named in words.</summary>
    private static string Rephrase(string msg)
    {
        msg = msg.Replace("'<EOF>'", "end of file").Replace("<EOF>", "end of file");
        msg = Regex.Replace(msg, "^(extraneous|mismatched) input (.*) expecting ", "unexpected $2; expected ");
        msg = Regex.Replace(msg, "^missing (.*) at ", "missing $1 before ");
        msg = Regex.Replace(msg, "^no viable alternative at input ", "cannot parse ");
        msg = Regex.Replace(msg, @"\b(ID|STRING|INT|FLOAT|BYTES)\b", m => m.Value switch
        {
            "ID" => "identifier",
            "STRING" => "string",
            "INT" => "integer",
            "FLOAT" => "float",
            _ => "bytes",
        });
        return Printable(msg);
    }

    private static string Printable(string s)
    {
        if (s.Length > MaxQuotedChars * 2)
            s = Regex.Replace(s, "'([^']{" + MaxQuotedChars + "})[^']{8,}'", "'$1...'");
        return new(s.Select(c => char.IsControl(c) && c != '\t' ? '?' : c).ToArray());
    }
}
