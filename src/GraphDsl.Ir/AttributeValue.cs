using System.Globalization;

namespace GraphDsl.Ir;

/// <summary>A typed value of an operator attribute, a tensor attribute or an annotation.</summary>
public abstract record AttributeValue
{
    private AttributeValue() { }

    public sealed record Int(long Value) : AttributeValue;
    public sealed record Float(double Value) : AttributeValue;
    public sealed record Bool(bool Value) : AttributeValue;
    public sealed record Str(string Value) : AttributeValue;
    /// <summary>Opaque bytes (e.g. a custom operator's options), kept so nothing is dropped.</summary>
    public sealed record Bytes(EquatableArray<byte> Value) : AttributeValue;
    /// <summary>A list; items may be of any kind, so an empty list needs no element type.</summary>
    public sealed record List(EquatableArray<AttributeValue> Items) : AttributeValue;
    /// <summary>Named fields, e.g. <c>@arena(offset=0, size=16)</c> or nested options.</summary>
    public sealed record Record(AttributeMap Fields) : AttributeValue;

    public static implicit operator AttributeValue(long value) => new Int(value);
    public static implicit operator AttributeValue(int value) => new Int(value);
    public static implicit operator AttributeValue(double value) => new Float(value);
    public static implicit operator AttributeValue(bool value) => new Bool(value);
    public static implicit operator AttributeValue(string value) => new Str(value);

    public static AttributeValue Ints(IEnumerable<long> values) => new List(values.Select(v => (AttributeValue)new Int(v)).ToEquatableArray());
    public static AttributeValue Floats(IEnumerable<double> values) => new List(values.Select(v => (AttributeValue)new Float(v)).ToEquatableArray());

    /// <summary>The value as an integer, when it is one.</summary>
    public long? AsInt() => this is Int i ? i.Value : null;

    /// <summary>The value as a list of integers, when every item is an integer.</summary>
    public IReadOnlyList<long>? AsInts() =>
        this is List l && l.Items.All(i => i is Int) ? l.Items.Select(i => ((Int)i).Value).ToArray() : null;

    public override string ToString() => this switch
    {
        Int i => i.Value.ToString(CultureInfo.InvariantCulture),
        Float f => f.Value.ToString("R", CultureInfo.InvariantCulture),
        Bool b => b.Value ? "true" : "false",
        Str s => s.Value,
        Bytes b => Convert.ToHexString(b.Value.AsImmutableArray().AsSpan()),
        List l => "[" + string.Join(", ", l.Items) + "]",
        Record r => "{" + string.Join(", ", r.Fields.Select(kv => kv.Key + "=" + kv.Value)) + "}",
        _ => GetType().Name,
    };
}
