namespace GraphDsl.Pipeline;

/// <summary>One pass of a pipeline as written: its name and its options as raw text, in the order
/// given. <see cref="Offset"/> is the 0-based position of the name in the pipeline text.</summary>
public sealed record PipelineStep(string PassName, IReadOnlyList<KeyValuePair<string, string>> Options, int Offset = 0);
