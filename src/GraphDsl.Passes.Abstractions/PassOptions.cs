namespace GraphDsl.Passes;

/// <summary>The option values a pass runs with, already checked by the host against the
/// descriptor (names known, values of the declared type); unset options have their defaults.</summary>
public sealed class PassOptions
{
    private readonly IReadOnlyDictionary<string, object> _values;

    public PassOptions(IReadOnlyDictionary<string, object> values) => _values = values;

    public static PassOptions Defaults(PassDescriptor descriptor) =>
        new(descriptor.Options.ToDictionary(o => o.Name, o => o.Default));

    public T Get<T>(string name) => _values.TryGetValue(name, out var v)
        ? (T)v
        : throw new KeyNotFoundException($"Option '{name}' is not declared by this pass.");

    public IReadOnlyDictionary<string, object> Values => _values;
}
