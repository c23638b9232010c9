namespace GraphDsl.Scheduling.Search;

/// <summary>One possible move from a partial schedule: its head operator, the largest step cost
/// it incurs, and how it changes the resident bytes (negative when it frees memory).</summary>
internal readonly record struct MoveOption(int Head, long Cost, long Delta);
