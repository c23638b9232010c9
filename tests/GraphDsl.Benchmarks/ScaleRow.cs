namespace GraphDsl.Benchmarks;

/// <summary>One generated branched graph searched in its own process: bounds, outcome, time and
/// the process's memory.</summary>
/// <param name="TimesMs">Wall-clock of each timed run of the order search (one when a run hit the budget).</param>
/// <param name="BaselineWorkingSetBytes">Working set of the child right before the timed runs (runtime, code, the graph).</param>
/// <param name="PeakWorkingSetBytes">Peak working set of the child process at the end (VmHWM on Linux).</param>
internal sealed record ScaleRow(
    string Kind,
    int RequestedOperators,
    int Operators,
    int Activations,
    long StoredPeak,
    long Peak,
    long LowerBound,
    bool ProvenOptimal,
    string Outcome,
    long States,
    double[] TimesMs,
    long BaselineWorkingSetBytes,
    long PeakWorkingSetBytes,
    string? Error = null)
{
    public double GapPercent => Peak == 0 ? 0 : 100.0 * (Peak - LowerBound) / Peak;

    public static ScaleRow Failed(string kind, int operators, string error) =>
        new(kind, operators, 0, 0, 0, 0, 0, false, "", 0, [], 0, 0, error);
}
