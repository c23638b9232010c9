namespace GraphDsl.Scheduling;

/// <summary>Why an order search stopped.</summary>
public enum OrderSearchOutcome
{
    /// <summary>The returned order has the minimum peak over all topological orders.</summary>
    Optimal,
    /// <summary>The time budget ran out; the result carries the best order and the proven gap.</summary>
    TimeBudgetExhausted,
    /// <summary>The state limit was reached; the result carries the best order and the proven gap.</summary>
    StateLimitReached,
    /// <summary>The caller cancelled; the result carries the best order found before that.</summary>
    Cancelled,
    /// <summary>The operators depend on each other in a cycle: no execution order exists, and the
    /// stored order is returned unchanged.</summary>
    Cyclic,
}
