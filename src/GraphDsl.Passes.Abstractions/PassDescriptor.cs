using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Passes;

/// <summary>Everything the host needs to list, configure and schedule a pass without running it.</summary>
/// <param name="Name">Kebab-case name used in pipeline text, e.g. <c>arena</c>.</param>
/// <param name="Summary">One line for <c>graphdsl passes</c>.</param>
/// <param name="Kind">Whether the pass only annotates, transforms, or lowers the model.</param>
/// <param name="Requires">Capabilities that earlier passes must have provided (e.g. <c>order</c>);
/// the pass manager rejects a pipeline that does not provide them first.</param>
/// <param name="Provides">Capabilities this pass establishes for later passes.</param>
/// <param name="Options">Typed options with defaults, written <c>name{key=value}</c> in pipelines.</param>
/// <param name="Reports">Every diagnostic this pass may emit.</param>
public sealed record PassDescriptor(
    string Name,
    string Summary,
    PassKind Kind,
    IReadOnlyList<string> Requires,
    IReadOnlyList<string> Provides,
    IReadOnlyList<PassOption> Options,
    IReadOnlyList<DiagnosticDescriptor> Reports);
