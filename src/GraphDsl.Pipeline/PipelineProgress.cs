using GraphDsl.Passes;

namespace GraphDsl.Pipeline;

/// <summary>Progress of a whole pipeline: which pass (0-based index of <see cref="Count"/>) and
/// what that pass last reported.</summary>
public readonly record struct PipelineProgress(string PassName, int Index, int Count, PassProgress Progress);
