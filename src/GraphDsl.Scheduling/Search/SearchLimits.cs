using System.Diagnostics;

namespace GraphDsl.Scheduling.Search;

/// <summary>When the exact search must stop: a deadline on a running stopwatch, a state cap and a
/// cancellation token; also where progress goes.</summary>
internal sealed record SearchLimits(
    Stopwatch Clock, TimeSpan Deadline, long MaxStates, CancellationToken Cancellation, IProgress<OrderSearchProgress>? Progress,
    long MemoryBudgetBytes = long.MaxValue);
