using GraphDsl.Ir.Diagnostics;

[assembly: DiagnosticRange("GD0001", "GD0099")]
[assembly: DiagnosticRange("GD1001", "GD1099")]

namespace GraphDsl.Syntax;

/// <summary>Diagnostics of the graph-language front end: <c>GD00xx</c> for text that does not
/// follow the grammar, <c>GD10xx</c> for well-formed text with a wrong meaning (an unknown
/// element type, a value that does not fit its type).</summary>
public static class SyntaxDiagnostics
{
    public static readonly DiagnosticDescriptor UnexpectedCharacter = new("GD0001", Severity.Error, "unexpected character {0}");
    public static readonly DiagnosticDescriptor SyntaxError = new("GD0002", Severity.Error, "{0}");
    public static readonly DiagnosticDescriptor NoGraph = new("GD0003", Severity.Error, "the file contains no graph; expected 'graph NAME(...) -> (...) {{ ... }}'");
    public static readonly DiagnosticDescriptor IntegerOutOfRange = new("GD0004", Severity.Error, "integer '{0}' is outside the 64-bit range");
    public static readonly DiagnosticDescriptor FloatOutOfRange = new("GD0005", Severity.Error, "number '{0}' is outside the 64-bit float range; write inf or -inf");
    public static readonly DiagnosticDescriptor OddHexDigits = new("GD0006", Severity.Error, "bytes literal has an odd number of hex digits");
    public static readonly DiagnosticDescriptor TooManyErrors = new("GD0007", Severity.Error, "too many syntax errors; stopped after {0}");
    public static readonly DiagnosticDescriptor KeywordAsName = new("GD0009", Severity.Error, "'{0}' is a keyword of the graph language; a name spelled like it must be quoted: \"{0}\"");
    public static readonly DiagnosticDescriptor Unreadable = new("GD0008", Severity.Error, "the text could not be parsed: {0}");

    public static readonly DiagnosticDescriptor UnknownElementType = new("GD1001", Severity.Error, "unknown element type '{0}'; expected one of {1}");
    public static readonly DiagnosticDescriptor MalformedShape = new("GD1002", Severity.Error, "malformed shape: {0}");
    public static readonly DiagnosticDescriptor InlineValueOutOfRange = new("GD1003", Severity.Error, "value {0} does not fit element type {1}");
    public static readonly DiagnosticDescriptor DuplicateName = new("GD1004", Severity.Error, "{0} '{1}' is given twice");
    public static readonly DiagnosticDescriptor BadQuantization = new("GD1005", Severity.Error, "quantization: {0}");
    public static readonly DiagnosticDescriptor BadConstantData = new("GD1006", Severity.Error, "constant data must be data(\"key\"), b\"hex\" or a list of numbers; {0}");
}
