namespace GraphDsl.Scheduling.Search;

/// <summary>Lists the moves from the current state of a <see cref="ScheduleState"/> with their
/// cost and effect, by trying each one and undoing it.</summary>
internal sealed class MoveEvaluator
{
    private readonly List<int> _heads = new();
    private readonly List<int> _applied = new();

    public void Evaluate(ScheduleState state, List<MoveOption> into)
    {
        into.Clear();
        state.Moves(_heads);
        foreach (var head in _heads)
        {
            long before = state.ResidentBytes;
            long cost = state.ApplyMove(head, _applied);
            long delta = state.ResidentBytes - before;
            state.UndoMove(_applied, _applied.Count);
            into.Add(new MoveOption(head, cost, delta));
        }
    }
}
