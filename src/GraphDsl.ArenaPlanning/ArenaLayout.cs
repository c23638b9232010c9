namespace GraphDsl.ArenaPlanning;

/// <summary>A placement as the verifier sees it: per activation id its absolute offset and size
/// (null when missing), the aliases that justify shared bytes, and the arena it must fit.</summary>
public sealed record ArenaLayout(long?[] Offset, long?[] Size, IReadOnlyList<TensorAlias> Aliases, long ArenaBytes, long Alignment);
