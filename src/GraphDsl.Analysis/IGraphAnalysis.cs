using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Analysis;

/// <summary>A fact computed from a model (liveness, the activation view, a runtime's arena model)
/// that passes read through <see cref="AnalysisCache"/> instead of computing it again.</summary>
/// <remarks>
/// To add an analysis, implement this interface on the result type; there is nothing to register:
/// <code>
/// public sealed class TflmArena : IGraphAnalysis&lt;TflmArena&gt;
/// {
///     public static TflmArena? Compute(Model model, AnalysisCache analyses, DiagnosticBag diagnostics)
///     {
///         if (analyses.Get&lt;MemoryProblem&gt;(model, diagnostics) is not { } problem) return null;
///         ...
///     }
/// }
/// // in a pass: context.GetAnalysis&lt;TflmArena&gt;(model)
/// </code>
/// Rules (MLIR's analysis manager): an analysis depends only on the model instance it is given
/// (the IR is immutable, so the same instance always gives the same answer); it may use other
/// analyses through <c>analyses</c>; it reports why it cannot be computed, once, to
/// <c>diagnostics</c> (a later request for the same model returns null without
/// reporting again).
/// </remarks>
public interface IGraphAnalysis<TSelf> where TSelf : class, IGraphAnalysis<TSelf>
{
    /// <summary>Computes the analysis of <paramref name="model"/>; null after reporting why it cannot.</summary>
    static abstract TSelf? Compute(Model model, AnalysisCache analyses, DiagnosticBag diagnostics);
}
