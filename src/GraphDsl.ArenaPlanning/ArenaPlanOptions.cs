namespace GraphDsl.ArenaPlanning;

/// <summary>What the planner is asked for: alignment in bytes (16, as TensorFlow Lite Micro), a
/// strategy name from <see cref="ArenaStrategies"/>, the reuse kinds allowed, and the CP-SAT budget.</summary>
public sealed record ArenaPlanOptions(
    long Alignment = 16,
    string Strategy = "auto",
    ReuseKinds Reuse = ReuseKinds.All,
    long BudgetMilliseconds = 1000);
