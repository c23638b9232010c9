namespace GraphDsl.Pipeline;

/// <summary>How a pipeline run ended.</summary>
public enum PipelineStatus { Succeeded, Failed, Cancelled }
