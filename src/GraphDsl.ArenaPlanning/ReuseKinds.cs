namespace GraphDsl.ArenaPlanning;

/// <summary>Which kinds of buffer sharing beyond liveness the planner may use. Each kind can be
/// switched on alone so that its saving can be measured (<c>reuse=views|inplace|concat|all|none</c>).</summary>
[Flags]
public enum ReuseKinds
{
    None = 0,
    /// <summary>View operators (Reshape, Squeeze, ...) share their input's bytes.</summary>
    Views = 1,
    /// <summary>Elementwise operators write over an input that dies at them.</summary>
    InPlace = 2,
    /// <summary>Producers write straight into their slice of a contiguous concat output.</summary>
    Concat = 4,
    All = Views | InPlace | Concat,
}
