namespace GraphDsl.Reports;

/// <summary>One operator of the TMM table: its step in the execution order, its index in the
/// graph, its name and type, and activation bytes while it runs.</summary>
public sealed record TmmRow(int Step, int Operator, string Name, string Type, long InputBytes, long OutputBytes, long OtherBytes, long TotalBytes);
