using System.Globalization;

namespace GraphDsl.Ir.Diagnostics;

/// <summary>One reported problem: its descriptor, where it is, the formatted message and
/// optional notes pointing at related places ("first declared here").</summary>
public sealed record Diagnostic(DiagnosticDescriptor Descriptor, Location? Location, string Message)
{
    public IReadOnlyList<(Location? Location, string Message)> Notes { get; init; } = [];

    public string Id => Descriptor.Id;
    public Severity Severity => Descriptor.Severity;

    public static Diagnostic Create(DiagnosticDescriptor descriptor, Location? location, params object?[] args) =>
        new(descriptor, location, string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat, args));

    /// <summary><c>path:line:col: error GD0102: message</c>.</summary>
    public override string ToString()
    {
        var where = Location is null ? "graphdsl" : Location.ToString();
        var severity = Severity.ToString().ToLowerInvariant();
        return $"{where}: {severity} {Id}: {Message}";
    }
}
