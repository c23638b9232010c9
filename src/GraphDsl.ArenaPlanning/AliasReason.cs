namespace GraphDsl.ArenaPlanning;

/// <summary>Why a tensor may share bytes with another one.</summary>
public enum AliasReason
{
    /// <summary>The tensor is the output of a view operator over the other (same bytes, read-only).</summary>
    View,
    /// <summary>The tensor is written by an elementwise operator over the other, which dies there.</summary>
    InPlace,
    /// <summary>The tensor (and everything sharing its bytes) is a slice of the other, a concat output.</summary>
    Concat,
}
