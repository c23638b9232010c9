using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Pipeline;

/// <summary>The outcome of running a pipeline: the model after the last pass that completed,
/// everything reported, and how the run ended.</summary>
public sealed record PipelineRun(Model Model, IReadOnlyList<Diagnostic> Diagnostics, PipelineStatus Status, int CompletedPasses)
{
    public bool Succeeded => Status == PipelineStatus.Succeeded;
}
