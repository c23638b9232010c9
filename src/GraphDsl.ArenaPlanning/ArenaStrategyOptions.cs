namespace GraphDsl.ArenaPlanning;

/// <summary>Settings for strategies that search: the CP-SAT time budget and worker count.</summary>
public sealed record ArenaStrategyOptions(long BudgetMilliseconds = 1000, int Workers = 1);
