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

    /// <summary>The TFLM arena figures <c>@tmm</c> and <c>@arena_plan</c> both carry, in bytes and in
    /// this order: <c>tflm_head_bytes, tflm_activation_bytes, tflm_scratch_bytes</c>, then
    /// <c>tflm_persistent_bytes</c> and <c>tflm_arena_bytes</c> when the tail is modelled.</summary>
    public static void AddTflmArena(List<(string, AttributeValue)> fields, long head, long activations, long scratch, long? persistent, long? arena)
    {
        fields.Add(("tflm_head_bytes", head));
        fields.Add(("tflm_activation_bytes", activations));
        fields.Add(("tflm_scratch_bytes", scratch));
        if (persistent is { } tail) fields.Add(("tflm_persistent_bytes", tail));
        if (arena is { } total) fields.Add(("tflm_arena_bytes", total));
    }

    public static string? Text(AttributeMap fields, string key) => (fields[key] as AttributeValue.Str)?.Value;

    public static bool? Flag(AttributeMap fields, string key) => (fields[key] as AttributeValue.Bool)?.Value;

    public static double? Real(AttributeMap fields, string key) => fields[key] switch
    {
        AttributeValue.Int i => i.Value,
        AttributeValue.Float f => f.Value,
        _ => null,
    };
}
