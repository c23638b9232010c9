using System.Globalization;
using System.Text;
using Antlr4.Runtime;
using Antlr4.Runtime.Tree;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Syntax.Generated;
using P = GraphDsl.Syntax.Generated.GraphDslParser;

namespace GraphDsl.Syntax;

/// <summary>Builds the IR from a parse tree that has no syntax errors, giving every graph,
/// tensor and operator its <see cref="SourceSpan"/>. Problems of meaning (unknown element type,
/// malformed shape, out-of-range numbers, repeated attribute names) are reported at the exact
/// token; problems of graph structure (undefined or doubly defined tensors, cycles) are left to
/// <see cref="IrVerifier"/>, which sees imported models too.</summary>
internal sealed class IrBuilder : GraphDslBaseVisitor<object?>
{
    private readonly string _path;
    private readonly DiagnosticBag _diagnostics;

    /// <summary>Tensors of the graph being built, in declaration order (signature types,
    /// declarations and typed operator results all declare at the point they appear).</summary>
    private List<Tensor> _tensors = new();

    public IrBuilder(string path, DiagnosticBag diagnostics)
    {
        _path = path;
        _diagnostics = diagnostics;
    }

    // file : modelHeader? graph* EOF ;
    public override object? VisitFile(P.FileContext context)
    {
        var graphs = context.graph().Select(g => (Graph)VisitGraph(g)!).ToList();
        if (graphs.Count == 0)
        {
            _diagnostics.Report(SyntaxDiagnostics.NoGraph, Span(context.Eof().Symbol));
            return null;
        }
        var model = new Model(graphs.ToEquatableArray()) { Origin = new SourceSpan(_path, 1, 1) };
        if (context.modelHeader() is { } header)
        {
            // modelHeader : MODEL name? fields? annotation* ;
            model = model with
            {
                Name = header.name() is { } n ? Name(n) : null,
                Attributes = header.fields() is { } f ? Fields(f) : AttributeMap.Empty,
                Annotations = Annotations(header.annotation()),
                Origin = Span(header),
            };
        }
        return model;
    }

    // graph : GRAPH name '(' (param (',' param)*)? ')' '->' '(' (name (',' name)*)? ')'
    //         '{' ';'* graphAttributes? ';'* annotation* statement* '}' ;
    public override object? VisitGraph(P.GraphContext context)
    {
        _tensors = new List<Tensor>();
        var names = context.name();
        var inputs = context.param().Select(p => (string)VisitParam(p)!).ToList();
        var outputs = names.Skip(1).Select(Name).ToList();
        var operators = new List<Operator>();
        foreach (var statement in context.statement())
        {
            if (statement.tensorDecl() is { } decl) _tensors.Add((Tensor)VisitTensorDecl(decl)!);
            else if (statement.operatorStmt() is { } op) operators.Add((Operator)VisitOperatorStmt(op)!);
        }
        return new Graph(Name(names[0]), _tensors.ToEquatableArray(), operators.ToEquatableArray(),
            inputs.ToEquatableArray(), outputs.ToEquatableArray())
        {
            Attributes = context.graphAttributes() is { } a ? Fields(a.fields()) : AttributeMap.Empty,
            Annotations = Annotations(context.annotation()),
            Origin = Span(names[0]),
        };
    }

    // param : name (':' type quantization?)? ;
    public override object? VisitParam(P.ParamContext context)
    {
        var name = Name(context.name());
        if (context.type() is { } type) DeclareActivation(context.name(), name, type, context.quantization());
        return name;
    }

    // tensorDecl : kind=(TENSOR | CONST | VAR) name ':' type quantization? fields? annotation* ('=' constantData)? ;
    public override object? VisitTensorDecl(P.TensorDeclContext context)
    {
        var type = Type(context.type());
        return new Tensor(Name(context.name()), type)
        {
            Kind = context.kind.Type switch
            {
                P.CONST => TensorKind.Constant,
                P.VAR => TensorKind.Variable,
                _ => TensorKind.Activation,
            },
            Quantization = context.quantization() is { } q ? (Quantization?)VisitQuantization(q) : null,
            Attributes = context.fields() is { } f ? Fields(f) : AttributeMap.Empty,
            Annotations = Annotations(context.annotation()),
            Data = context.constantData() switch
            {
                P.DataReferenceContext r => new ConstantData.Reference(Unquote(r.STRING().Symbol)),
                P.DataInlineContext i => InlineData(type.ElementType, i.value()),
                _ => null,
            },
            Origin = Span(context.name()),
        };
    }

    // operatorStmt : (OP name ':')? results '=' opType '(' (operand (',' operand)*)? ')' fields? annotation* ;
    // results : '(' ')' | result (',' result)* ;
    // result : '_' | name (':' type quantization?)? ;
    // operand : '_' | name ;
    public override object? VisitOperatorStmt(P.OperatorStmtContext context)
    {
        var outputs = new List<string?>();
        foreach (var result in context.results().result())
        {
            if (result.name() is not { } nameContext) { outputs.Add(null); continue; }
            var name = Name(nameContext);
            if (result.type() is { } type) DeclareActivation(nameContext, name, type, result.quantization());
            outputs.Add(name);
        }
        var inputs = context.operand().Select(o => o.name() is { } n ? Name(n) : null).ToList();
        return new Operator((string)VisitOpType(context.opType())!, inputs.ToEquatableArray(), outputs.ToEquatableArray())
        {
            Name = context.name() is { } opName ? Name(opName) : null,
            Attributes = context.fields() is { } f ? Fields(f) : AttributeMap.Empty,
            Annotations = Annotations(context.annotation()),
            Origin = Span(context),
        };
    }

    // opType : STRING | anyWord ('.' anyWord)* ;
    public override object? VisitOpType(P.OpTypeContext context) =>
        context.STRING() is { } s ? Unquote(s.Symbol) : string.Join(".", context.anyWord().Select(w => w.GetText()));

    // type : ID shape ;
    private TensorType Type(P.TypeContext context)
    {
        var token = context.ID().Symbol;
        if (!DataTypes.TryParse(token.Text, out var elementType))
            _diagnostics.Report(SyntaxDiagnostics.UnknownElementType, Span(token), token.Text, string.Join(" ", DataTypes.Names));
        return new TensorType(elementType, (Shape)Visit(context.shape())!);
    }

    // shape : '[' '*' ']' ;
    public override object? VisitUnknownRankShape(P.UnknownRankShapeContext context) => Shape.UnknownRank;

    // shape : '[' (dim (',' dim)*)? ']' ;
    public override object? VisitDimsShape(P.DimsShapeContext context) =>
        new Shape(context.dim().Select(d => (Dim)VisitDim(d)!).ToEquatableArray());

    // dim : '-'? INT | '?' | '*' | name ;
    public override object? VisitDim(P.DimContext context)
    {
        if (context.name() is { } n) return Dim.Named(Name(n));
        if (context.INT() is not null)
        {
            var value = Integer(context, context.MINUS() is not null, context.INT().Symbol);
            if (value < 0) _diagnostics.Report(SyntaxDiagnostics.MalformedShape, Span(context), $"dimension {value} is negative; write ? for an unknown extent");
            return Dim.Known(value);
        }
        if (context.STAR() is not null)
            _diagnostics.Report(SyntaxDiagnostics.MalformedShape, Span(context), "'*' stands only for a whole shape of unknown rank, written [*]");
        return Dim.Unknown;
    }

    // quantization : Q '(' field (',' field)* ')' ;
    public override object? VisitQuantization(P.QuantizationContext context)
    {
        IReadOnlyList<double>? scales = null;
        IReadOnlyList<long>? zeroPoints = null;
        int? axis = null;
        foreach (var (key, value, where) in FieldEntries(context.field(), "quantization field"))
        {
            switch (key)
            {
                case "scale":
                    scales = value switch
                    {
                        AttributeValue.List l when l.Items.All(IsNumber) => l.Items.Select(AsDouble).ToArray(),
                        _ when IsNumber(value) => [AsDouble(value)],
                        _ => null,
                    };
                    if (scales is null) Quant(where, "scale must be a number or a list of numbers");
                    break;
                case "zero_point":
                    zeroPoints = value.AsInts() ?? (value.AsInt() is { } z ? [z] : null);
                    if (zeroPoints is null) Quant(where, "zero_point must be an integer or a list of integers");
                    break;
                case "axis":
                    if (value.AsInt() is { } a && a is >= 0 and <= int.MaxValue) axis = (int)a;
                    else Quant(where, "axis must be a non-negative integer");
                    break;
                default:
                    Quant(where, $"unknown field '{key}'; expected scale, zero_point or axis");
                    break;
            }
        }
        if (scales is null || zeroPoints is null)
        {
            Quant(context, "q(...) needs both scale and zero_point");
            return null;
        }
        return new Quantization(scales.ToEquatableArray(), zeroPoints.ToEquatableArray(), axis);
    }

    private void Quant(ParserRuleContext where, string message) =>
        _diagnostics.Report(SyntaxDiagnostics.BadQuantization, Span(where), message);

    private static bool IsNumber(AttributeValue v) => v is AttributeValue.Int or AttributeValue.Float;

    private static double AsDouble(AttributeValue v) => v is AttributeValue.Int i ? i.Value : ((AttributeValue.Float)v).Value;

    /// <summary>Inline constant values: raw bytes, or a list of numbers encoded per element type.</summary>
    private ConstantData? InlineData(DataType type, P.ValueContext value)
    {
        switch (value)
        {
            case P.BytesValueContext b:
                return new ConstantData.Inline(Bytes(b.BYTES().Symbol));
            case P.ListValueContext list:
                var bytes = new List<byte>();
                foreach (var item in list.value())
                {
                    object? element = Visit(item) switch
                    {
                        AttributeValue.Int i => i.Value,
                        AttributeValue.Float f => f.Value,
                        AttributeValue.Bool b => b.Value,
                        _ => null,
                    };
                    if (element is null)
                        _diagnostics.Report(SyntaxDiagnostics.BadConstantData, Span(item), $"'{item.GetText()}' is not a number");
                    else if (!InlineElements.TryEncode(type, element, bytes))
                        _diagnostics.Report(SyntaxDiagnostics.InlineValueOutOfRange, Span(item), item.GetText(), type.ToText());
                }
                return new ConstantData.Inline(bytes.ToEquatableArray());
            default:
                _diagnostics.Report(SyntaxDiagnostics.BadConstantData, Span(value), $"got '{value.GetText()}'");
                return null;
        }
    }

    // annotation : '@' name ('(' (field (',' field)* | value)? ')')? ;
    public override object? VisitAnnotation(P.AnnotationContext context)
    {
        AttributeValue value = context.value() is { } v
            ? (AttributeValue)Visit(v)!
            : new AttributeValue.Record(Map(FieldEntries(context.field(), "field")));
        return KeyValuePair.Create(Name(context.name()), value);
    }

    private AttributeMap Annotations(P.AnnotationContext[] annotations) =>
        Map(annotations.Select(a =>
        {
            var (key, value) = (KeyValuePair<string, AttributeValue>)VisitAnnotation(a)!;
            return (key, value, (ParserRuleContext)a.name());
        }), "annotation");

    // fields : '{' (field (',' field)* ','?)? '}' ;
    private AttributeMap Fields(P.FieldsContext context) => Map(FieldEntries(context.field(), "attribute"));

    // field : name '=' value ;
    private IEnumerable<(string Key, AttributeValue Value, ParserRuleContext Where)> FieldEntries(P.FieldContext[] fields, string what)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            var key = Name(field.name());
            if (!seen.Add(key))
            {
                _diagnostics.Report(SyntaxDiagnostics.DuplicateName, Span(field.name()), what, key);
                continue;
            }
            yield return (key, (AttributeValue)Visit(field.value())!, field.name());
        }
    }

    /// <summary>An attribute map from entries whose keys <see cref="FieldEntries"/> already made
    /// unique; annotation names are checked here.</summary>
    private AttributeMap Map(IEnumerable<(string Key, AttributeValue Value, ParserRuleContext Where)> entries, string? what = null)
    {
        var list = new List<KeyValuePair<string, AttributeValue>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value, where) in entries)
        {
            if (!seen.Add(key))
            {
                _diagnostics.Report(SyntaxDiagnostics.DuplicateName, Span(where), what ?? "field", key);
                continue;
            }
            list.Add(KeyValuePair.Create(key, value));
        }
        return AttributeMap.From(list);
    }

    // value : '-'? INT ;
    public override object? VisitIntValue(P.IntValueContext context) =>
        new AttributeValue.Int(Integer(context, context.MINUS() is not null, context.INT().Symbol));

    // value : '-'? FLOAT ;
    public override object? VisitFloatValue(P.FloatValueContext context)
    {
        var text = (context.MINUS() is not null ? "-" : "") + context.FLOAT().GetText();
        var value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsInfinity(value)) _diagnostics.Report(SyntaxDiagnostics.FloatOutOfRange, Span(context), text);
        return new AttributeValue.Float(value);
    }

    // value : '-'? INF ;
    public override object? VisitInfValue(P.InfValueContext context) =>
        new AttributeValue.Float(context.MINUS() is not null ? double.NegativeInfinity : double.PositiveInfinity);

    // value : NAN ;
    public override object? VisitNanValue(P.NanValueContext context) => new AttributeValue.Float(double.NaN);

    // value : (TRUE | FALSE) ;
    public override object? VisitBoolValue(P.BoolValueContext context) => new AttributeValue.Bool(context.TRUE() is not null);

    // value : STRING ;
    public override object? VisitStringValue(P.StringValueContext context) => new AttributeValue.Str(Unquote(context.STRING().Symbol));

    // value : ID ;  a bare word is a string, so hand-written text can say padding=same.
    public override object? VisitWordValue(P.WordValueContext context) => new AttributeValue.Str(context.ID().GetText());

    // value : BYTES ;
    public override object? VisitBytesValue(P.BytesValueContext context) => new AttributeValue.Bytes(Bytes(context.BYTES().Symbol));

    // value : '[' (value (',' value)* ','?)? ']' ;
    public override object? VisitListValue(P.ListValueContext context) =>
        new AttributeValue.List(context.value().Select(v => (AttributeValue)Visit(v)!).ToEquatableArray());

    // value : fields ;
    public override object? VisitRecordValue(P.RecordValueContext context) => new AttributeValue.Record(Fields(context.fields()));

    // name : ID | STRING ;
    private static string Name(P.NameContext context) =>
        context.STRING() is { } s ? Unquote(s.Symbol) : context.ID().GetText();

    private void DeclareActivation(P.NameContext where, string name, P.TypeContext type, P.QuantizationContext? quantization) =>
        _tensors.Add(new Tensor(name, Type(type))
        {
            Quantization = quantization is null ? null : (Quantization?)VisitQuantization(quantization),
            Origin = Span(where),
        });

    private long Integer(ParserRuleContext context, bool negative, IToken digits)
    {
        var text = (negative ? "-" : "") + digits.Text;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
        _diagnostics.Report(SyntaxDiagnostics.IntegerOutOfRange, Span(context), text);
        return 0;
    }

    private EquatableArray<byte> Bytes(IToken token)
    {
        var hex = token.Text[2..^1];
        if (hex.Length % 2 != 0)
        {
            _diagnostics.Report(SyntaxDiagnostics.OddHexDigits, Span(token));
            return EquatableArray<byte>.Empty;
        }
        return Convert.FromHexString(hex).ToEquatableArray();
    }

    /// <summary>The text of a STRING token without quotes, escapes resolved (the lexer admits only
    /// \" \\ \n \r \t and \uXXXX).</summary>
    private static string Unquote(IToken token)
    {
        var text = token.Text;
        var sb = new StringBuilder(text.Length);
        for (int i = 1; i < text.Length - 1; i++)
        {
            var c = text[i];
            if (c != '\\') { sb.Append(c); continue; }
            var e = text[++i];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    sb.Append((char)int.Parse(text.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                default: sb.Append(e); break;
            }
        }
        return sb.ToString();
    }

    private SourceSpan Span(IToken token) =>
        new(_path, token.Line, token.Column + 1, token.Type == TokenConstants.EOF ? 0 : token.StopIndex - token.StartIndex + 1);

    /// <summary>From the first token of the node to the end of its last token when that is on the
    /// same line, else to the end of the first token.</summary>
    private SourceSpan Span(ParserRuleContext context)
    {
        var start = context.Start;
        var stop = context.Stop ?? start;
        var end = stop.Line == start.Line && stop.StopIndex >= start.StartIndex ? stop.StopIndex : start.StopIndex;
        return new SourceSpan(_path, start.Line, start.Column + 1, end - start.StartIndex + 1);
    }
}
