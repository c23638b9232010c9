using GraphDsl.Analysis;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Tflm;

/// <summary>What a planned buffer holds.</summary>
public enum TflmBufferKind
{
    /// <summary>A tensor of some subgraph (activation, graph input/output, unused tensor...).</summary>
    Tensor,
    /// <summary>A kernel's scratch buffer (<c>RequestScratchBufferInArena</c>).</summary>
    Scratch,
}

/// <summary>One buffer of TFLM's planned section (head).</summary>
/// <param name="Subgraph">Subgraph of the tensor, or of the operator requesting the scratch buffer.</param>
/// <param name="Index">Tensor index in its subgraph, or the requesting operator's index.</param>
/// <param name="Name">Tensor name, or <c>OP_TYPE#k</c> for the k-th request of that operator.</param>
/// <param name="Bytes">Bytes TFLM asks for.</param>
/// <param name="PlannedBytes">Bytes rounded up to <see cref="TflmCalibration.ArenaAlignment"/>, as planned.</param>
/// <param name="FirstCreated">First allocation scope (micro_allocation_info.cc); -1 for a tensor nothing touches.</param>
/// <param name="LastUsed">Last allocation scope; -1 for a tensor nothing touches.</param>
/// <param name="OfflineOffset">Offset fixed by an offline plan, or null when planned online.</param>
/// <param name="Offset">Offset from the aligned arena start, in bytes.</param>
public sealed record TflmBuffer(TflmBufferKind Kind, int Subgraph, int Index, string Name, long Bytes, long PlannedBytes,
    int FirstCreated, int LastUsed, long? OfflineOffset, long Offset);

/// <summary>Why a figure is an estimate: an operator whose kernel is not modelled.</summary>
/// <param name="Operator">Operator type (or custom code).</param>
/// <param name="Where">e.g. <c>subgraph0/op12</c>.</param>
public sealed record TflmEstimateReason(string Operator, string Where, string Reason)
{
    public override string ToString() => $"{Where} {Operator}: {Reason}";
}

/// <summary>One item of the persistent section (tail).</summary>
/// <param name="What">What TFLM allocates, e.g. <c>TfLiteEvalTensor[362]</c>.</param>
/// <param name="Bytes">Bytes taken from the tail, alignment padding included.</param>
public sealed record TflmTailItem(string What, long Bytes);

/// <summary>The model of TFLM's arena for one model: planned head and persistent tail.</summary>
/// <remarks>As a cached analysis (<c>context.GetAnalysis&lt;TflmArena&gt;(model)</c>) it is TFLM's
/// arena for the model as written: stored operator order, the model's own offline plan if any,
/// on <see cref="TflmTarget.Host64"/>. Plans of other orders or offsets come from
/// <see cref="TflmArenaModel.Compute"/> with those arguments.</remarks>
/// <param name="HeadBytes"><c>GetNonPersistentUsedBytes()</c> after <c>AllocateTensors()</c>: the planned section.</param>
/// <param name="ActivationBytes">End of the highest tensor in that plan (the head without scratch buffers above it).</param>
/// <param name="TensorOnlyHeadBytes">TFLM's plan of the tensors alone (no scratch buffers): the "TFLM greedy" baseline.</param>
/// <param name="TailBytes"><c>GetPersistentUsedBytes()</c> on <see cref="Target"/> (<see cref="TflmPersistentSection"/>);
/// operators whose kernels are not modelled count 0 B and are named in <see cref="Estimates"/>.</param>
/// <param name="Tail">The persistent section's items in TFLM's allocation order, padding included.</param>
/// <param name="Estimates">Operators whose kernels are not modelled; empty when every figure is exact.</param>
public sealed record TflmArena(
    long HeadBytes,
    long ActivationBytes,
    long TensorOnlyHeadBytes,
    long? TailBytes,
    IReadOnlyList<TflmBuffer> Buffers,
    IReadOnlyList<TflmTailItem> Tail,
    IReadOnlyList<TflmEstimateReason> Estimates,
    TflmTarget Target) : IGraphAnalysis<TflmArena>
{
    /// <summary>TFLM's arena for <paramref name="model"/> as stored (<see cref="TflmArenaModel.Compute"/>);
    /// never null: operators it cannot model make the figures estimates (<see cref="Estimates"/>).</summary>
    public static TflmArena? Compute(Model model, AnalysisCache analyses, DiagnosticBag diagnostics) =>
        TflmArenaModel.Compute(model);

    /// <summary>Allocation scope of each step of the main graph (its operator's scope; scopes of
    /// subgraphs it calls follow it). Scope 0 is the main graph's entry.</summary>
    public IReadOnlyList<int> MainStepScopes { get; init; } = [];

    /// <summary>Offsets of the tensors in TFLM's plan of the tensors alone, by (subgraph, tensor index).</summary>
    public IReadOnlyDictionary<(int Subgraph, int Tensor), long> TensorOnlyOffsets { get; init; } = new Dictionary<(int, int), long>();

    /// <summary>The offset TFLM gives tensor <paramref name="tensor"/> of the main graph in the full
    /// plan, or null when it does not plan it.</summary>
    public long? MainTensorOffset(int tensor) =>
        Buffers.FirstOrDefault(b => b.Kind == TflmBufferKind.Tensor && b.Subgraph == 0 && b.Index == tensor)?.Offset;

    /// <summary>The last allocation scope (main graph outputs).</summary>
    public int LastScope { get; init; }

    /// <summary>Bytes the scratch buffers add above the tensors (head minus activations).</summary>
    public long ScratchBytes => HeadBytes - ActivationBytes;

    /// <summary><c>arena_used_bytes()</c>: head plus tail, the least <c>kTensorArenaSize</c> that
    /// works (plus up to 15 bytes when the arena array itself is not 16-byte aligned).</summary>
    public long? TotalBytes => TailBytes is { } tail ? HeadBytes + tail : null;

    /// <summary>True when no operator's kernel had to be guessed.</summary>
    public bool IsExact => Estimates.Count == 0;

    /// <summary>Reasons <see cref="EstimateSummary"/> spells out; the rest are counted by operator type.</summary>
    public const int EstimateReasonsShown = 4;

    /// <summary>One line naming the operators that make the figures estimates, grouped by reason
    /// (<c>CONV_2D: input 1 is missing; its scratch buffers are not counted (subgraph0/op0, subgraph0/op2)</c>);
    /// past <see cref="EstimateReasonsShown"/> reasons the others are counted by operator type
    /// (<c>and 14 more reasons, operators by type: Conv 121, Relu 26</c>), as the GD3601 warnings are
    /// grouped, so a model full of unmodelled kernels gives a short line. Null when exact.</summary>
    public string? EstimateSummary
    {
        get
        {
            if (IsExact) return null;
            var reasons = Estimates.GroupBy(e => $"{e.Operator}: {e.Reason}").ToList();
            var shown = reasons.Take(EstimateReasonsShown)
                .Select(g => $"{g.Key} ({string.Join(", ", g.Select(e => e.Where).Take(4))}{(g.Count() > 4 ? $" and {g.Count() - 4} more" : "")})");
            if (reasons.Count <= EstimateReasonsShown) return string.Join("; ", shown);
            var rest = reasons.Skip(EstimateReasonsShown).SelectMany(g => g)
                .GroupBy(e => e.Operator)
                .Select(g => $"{g.Key} {g.Select(e => e.Where).Distinct().Count()}");
            return string.Join("; ", shown) + $"; and {reasons.Count - EstimateReasonsShown} more reasons, operators by type: {string.Join(", ", rest)}";
        }
    }

    /// <summary>The scratch buffers, in request order.</summary>
    public IEnumerable<TflmBuffer> ScratchBuffers => Buffers.Where(b => b.Kind == TflmBufferKind.Scratch);
}
