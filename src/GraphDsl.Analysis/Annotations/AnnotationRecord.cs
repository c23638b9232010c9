using GraphDsl.Ir;

namespace GraphDsl.Analysis.Annotations;

/// <summary>Reading and building the <c>@name(key=value, ...)</c> records the codecs in this
/// folder share; not used outside them, so field names are spelled in one codec each.</summary>
internal static class AnnotationRecord
{
    public static AttributeValue Of(params (string Key, AttributeValue Value)[] fields) =>
        new AttributeValue.Record(AttributeMap.From(fields));

    public static AttributeMap? Fields(AttributeMap annotations, string name) =>
        (annotations[name] as AttributeValue.Record)?.Fields;

    public static long? Int(AttributeMap fields, string key) => fields[key]?.AsInt();

    public static string? Text(AttributeMap fields, string key) => (fields[key] as AttributeValue.Str)?.Value;

    public static bool? Flag(AttributeMap fields, string key) => (fields[key] as AttributeValue.Bool)?.Value;

    public static double? Real(AttributeMap fields, string key) => fields[key] switch
    {
        AttributeValue.Int i => i.Value,
        AttributeValue.Float f => f.Value,
        _ => null,
    };
}
