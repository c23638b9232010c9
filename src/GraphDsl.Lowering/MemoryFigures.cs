namespace GraphDsl.Lowering;

/// <summary>Activation memory of one execution order: the peak of live bytes, the arena the plan
/// needs, and what TensorFlow Lite Micro's greedy planner would need for the same order.</summary>
public sealed record MemoryFigures(long PeakBytes, long ArenaBytes, long? TflmGreedyArenaBytes);
