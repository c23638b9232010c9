namespace GraphDsl.Analysis;

/// <summary>Activation memory of one execution order: the peak of live bytes, the arena the plan
/// needs, and what TensorFlow Lite Micro's greedy planner would need for the same order.</summary>
public sealed record MemoryFigures(long PeakBytes, long ArenaBytes, long? TflmGreedyArenaBytes)
{
    /// <summary>TFLM's planned section (head) for this model, by GraphDsl.Tflm's model of TFLM.</summary>
    public long? TflmHeadBytes { get; init; }

    /// <summary>What <c>kTensorArenaSize</c> must be (head + persistent tail); null when the tail is not modelled.</summary>
    public long? TflmArenaBytes { get; init; }

    /// <summary>Head parts and tail, when known: activations, scratch, persistent.</summary>
    public (long Activations, long Scratch, long? Persistent)? TflmBreakdown { get; init; }
}
