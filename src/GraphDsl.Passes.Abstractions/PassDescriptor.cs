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
    IReadOnlyList<DiagnosticDescriptor> Reports)
{
    /// <summary>Capabilities whose current state this pass's results are computed from, in
    /// addition to <see cref="Requires"/> (which count too). Example: the arena pass plans the
    /// current execution order, so it depends on <c>order</c>.</summary>
    /// <remarks>When a later pass provides one of these again (the order pass choosing a new order),
    /// what this pass provided is stale: the binder withdraws it, and a pipeline in which a later
    /// pass requires it without running this pass again is refused (GD3013). A pass of kind
    /// <see cref="PassKind.Transform"/> changes the graph itself and so withdraws every capability
    /// provided before it, except those it provides. The passes themselves drop the annotations
    /// they make stale (see <c>ExecutionOrderAnnotation.Write</c>), so printed IR never shows them.</remarks>
    public IReadOnlyList<string> DependsOn { get; init; } = [];
}
