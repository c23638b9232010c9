namespace GraphDsl.ArenaPlanning;

/// <summary>One reuse decision: activation <paramref name="Tensor"/> occupies the bytes of
/// activation <paramref name="Of"/> starting <paramref name="Offset"/> bytes into it. Ids are
/// <see cref="GraphDsl.Analysis.MemoryProblem"/> activation ids.</summary>
public sealed record TensorAlias(int Tensor, int Of, long Offset, AliasReason Reason);
