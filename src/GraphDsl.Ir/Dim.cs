namespace GraphDsl.Ir;

/// <summary>One dimension of a shape: a known extent, a named symbolic extent (<c>batch</c>),
/// or unknown (<c>?</c>).</summary>
public readonly record struct Dim(long? Value, string? Symbol)
{
    public static Dim Known(long value) => new(value, null);
    public static Dim Named(string symbol) => new(null, symbol);
    public static readonly Dim Unknown = new(null, null);

    public bool IsKnown => Value.HasValue;

    public static implicit operator Dim(long value) => Known(value);

    public override string ToString() => Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Symbol ?? "?";
}
