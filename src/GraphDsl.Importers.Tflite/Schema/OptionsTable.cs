using System.Globalization;

namespace GraphDsl.Importers.Tflite.Schema;

/// <summary>How a field of an options table is stored and shown.</summary>
internal enum OptionFieldKind { Int32, UInt32, Int64, Float32, Bool, ByteEnum, Int32Vector, Float32Vector, String, Deprecated32 }

/// <summary>One field of an options table: its attribute name, storage kind, schema default and,
/// for byte enums, the enum's names by value.</summary>
internal sealed record OptionField(string Name, OptionFieldKind Kind, double Default, IReadOnlyList<string>? EnumNames)
{
    /// <summary>True when the field holds a uoffset to a vector or string rather than a scalar.</summary>
    public bool IsOffset => Kind is OptionFieldKind.Int32Vector or OptionFieldKind.Float32Vector or OptionFieldKind.String;
}

/// <summary>A builtin-options table of the TFLite schema: its name and fields in field-id order.</summary>
internal sealed class OptionsTable
{
    private static readonly string[] PaddingNames = ["SAME", "VALID"];
    private static readonly string[] ActivationNames = ["NONE", "RELU", "RELU_N1_TO_1", "RELU6", "TANH", "SIGN_BIT"];

    public OptionsTable(string name, string fields)
    {
        Name = name;
        Fields = fields.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(ParseField).ToArray();
    }

    public string Name { get; }

    public IReadOnlyList<OptionField> Fields { get; }

    private static OptionField ParseField(string text)
    {
        var colon = text.IndexOf(':');
        var name = text[..colon];
        var kind = text[(colon + 1)..];
        double fallback = 0;
        var eq = kind.IndexOf('=');
        if (eq >= 0)
        {
            fallback = double.Parse(kind[(eq + 1)..], CultureInfo.InvariantCulture);
            kind = kind[..eq];
        }
        if (kind.StartsWith("enum(", StringComparison.Ordinal))
            return new(name, OptionFieldKind.ByteEnum, fallback, kind[5..^1].Split('|'));
        return kind switch
        {
            "i32" => new(name, OptionFieldKind.Int32, fallback, null),
            "u32" => new(name, OptionFieldKind.UInt32, fallback, null),
            "i64" => new(name, OptionFieldKind.Int64, fallback, null),
            "f32" => new(name, OptionFieldKind.Float32, fallback, null),
            "bool" => new(name, OptionFieldKind.Bool, fallback, null),
            "pad" => new(name, OptionFieldKind.ByteEnum, fallback, PaddingNames),
            "act" => new(name, OptionFieldKind.ByteEnum, fallback, ActivationNames),
            "tt" => new(name, OptionFieldKind.ByteEnum, fallback, TfliteTensorTypes.Names),
            "i32[]" => new(name, OptionFieldKind.Int32Vector, fallback, null),
            "f32[]" => new(name, OptionFieldKind.Float32Vector, fallback, null),
            "str" => new(name, OptionFieldKind.String, fallback, null),
            "deprecated32" => new(name, OptionFieldKind.Deprecated32, fallback, null),
            _ => throw new InvalidOperationException($"Bad option field description '{text}' in {nameof(BuiltinOptionsTables)}."),
        };
    }
}
