namespace GraphDsl.Scheduling;

/// <summary>A snapshot of a running order search: the proven lower bound, the best peak found
/// (upper bound), states explored and time spent.</summary>
public readonly record struct OrderSearchProgress(long LowerBoundBytes, long UpperBoundBytes, long States, TimeSpan Elapsed);
