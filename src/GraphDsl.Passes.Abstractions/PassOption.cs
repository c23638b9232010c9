namespace GraphDsl.Passes;

/// <summary>One typed option of a pass. <see cref="ValueType"/> is one of <c>long</c>,
/// <c>double</c>, <c>bool</c>, <c>string</c>; <see cref="Default"/> has that type.</summary>
public sealed record PassOption(string Name, Type ValueType, object Default, string Help)
{
    public static PassOption Int(string name, long @default, string help) => new(name, typeof(long), @default, help);
    public static PassOption Real(string name, double @default, string help) => new(name, typeof(double), @default, help);
    public static PassOption Flag(string name, bool @default, string help) => new(name, typeof(bool), @default, help);
    public static PassOption Text(string name, string @default, string help) => new(name, typeof(string), @default, help);

    /// <summary>What a well-typed value must also satisfy: returns why the value is refused
    /// ("must be 0 or more"), or null to accept it. The pipeline binder reports a refusal at the
    /// option in the pipeline text (GD3015), before any pass runs. See <see cref="OptionRules"/>.</summary>
    public Func<object, string?>? Rule { get; init; }
}

/// <summary>Rules for <see cref="PassOption.Rule"/>, shared by the passes and the command flags
/// that set their options, so a value is refused with the same words wherever it is given.</summary>
public static class OptionRules
{
    /// <summary>An integer of at least <paramref name="minimum"/>.</summary>
    public static Func<object, string?> AtLeast(long minimum) =>
        value => value is long v && v < minimum ? $"must be {minimum} or more" : null;

    /// <summary>An integer from <paramref name="minimum"/> to <paramref name="maximum"/>.</summary>
    public static Func<object, string?> Between(long minimum, long maximum) =>
        value => value is long v && (v < minimum || v > maximum) ? $"must be from {minimum} to {maximum}" : null;

    /// <summary>A positive power of two (an alignment in bytes: 1, 2, 4, 8, 16...).</summary>
    public static Func<object, string?> PowerOfTwo { get; } =
        value => value is long v && (v <= 0 || (v & (v - 1)) != 0) ? "must be a positive power of two (1, 2, 4, 8, 16, ...)" : null;
}
