namespace GraphDsl.Passes;

/// <summary>One typed option of a pass. <see cref="ValueType"/> is one of <c>long</c>,
/// <c>double</c>, <c>bool</c>, <c>string</c>; <see cref="Default"/> has that type.</summary>
public sealed record PassOption(string Name, Type ValueType, object Default, string Help)
{
    public static PassOption Int(string name, long @default, string help) => new(name, typeof(long), @default, help);
    public static PassOption Real(string name, double @default, string help) => new(name, typeof(double), @default, help);
    public static PassOption Flag(string name, bool @default, string help) => new(name, typeof(bool), @default, help);
    public static PassOption Text(string name, string @default, string help) => new(name, typeof(string), @default, help);
}
