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
    /// <c>tflm_persistent_bytes</c> and <c>tflm_arena_bytes</c> when the tail is modelled, then the
    /// record's own <paramref name="extra"/> fields, then <c>tflm_estimate</c> (when not exact) and
    /// <c>tflm_commit</c>. <see cref="ReadTflmArena"/> reads them back.</summary>
    public static void AddTflmArena(List<(string, AttributeValue)> fields, TflmArenaFigures figures,
        IEnumerable<(string, AttributeValue)>? extra = null)
    {
        fields.Add(("tflm_head_bytes", figures.HeadBytes));
        fields.Add(("tflm_activation_bytes", figures.ActivationBytes));
        fields.Add(("tflm_scratch_bytes", figures.ScratchBytes));
        if (figures.PersistentBytes is { } tail) fields.Add(("tflm_persistent_bytes", tail));
        if (figures.ArenaBytes is { } total) fields.Add(("tflm_arena_bytes", total));
        if (extra is not null) fields.AddRange(extra);
        if (figures.Estimate is { } estimate) fields.Add(("tflm_estimate", estimate));
        fields.Add(("tflm_commit", figures.Commit));
    }

    /// <summary>The figures <see cref="AddTflmArena"/> wrote, or null without <c>tflm_head_bytes</c>.</summary>
    public static TflmArenaFigures? ReadTflmArena(AttributeMap f) =>
        Int(f, "tflm_head_bytes") is { } head
            ? new TflmArenaFigures(head, Int(f, "tflm_activation_bytes") ?? head, Int(f, "tflm_scratch_bytes") ?? 0,
                Int(f, "tflm_persistent_bytes"), Int(f, "tflm_arena_bytes"), Text(f, "tflm_estimate"), Text(f, "tflm_commit") ?? "")
            : null;

    public static string? Text(AttributeMap fields, string key) => (fields[key] as AttributeValue.Str)?.Value;

    public static bool? Flag(AttributeMap fields, string key) => (fields[key] as AttributeValue.Bool)?.Value;

    public static double? Real(AttributeMap fields, string key) => fields[key] switch
    {
        AttributeValue.Int i => i.Value,
        AttributeValue.Float f => f.Value,
        _ => null,
    };
}
