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
    /// <summary>The tensor is the output of a SLICE whose rows are one contiguous byte range of the
    /// other (a row band of an NHWC batch-1 tensor): it sits at that range, read-only, so the
    /// SLICE copies every byte onto itself.</summary>
    Slice,
}
