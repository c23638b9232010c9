using GraphDsl.Analysis;

namespace GraphDsl.ArenaPlanning;

/// <summary>The verifier's re-check of one alias edge against the IR (rules on <see cref="ReuseAnalysis"/>).</summary>
internal sealed class AliasRules
{
    private readonly MemoryProblem _problem;
    private readonly Liveness _liveness;
    private readonly int[] _position;
    private readonly ArenaLayout _layout;
    private readonly IReadOnlyDictionary<int, TensorAlias> _parent;

    public AliasRules(MemoryProblem problem, Liveness liveness, int[] position, ArenaLayout layout, IReadOnlyDictionary<int, TensorAlias> parent)
    {
        _problem = problem;
        _liveness = liveness;
        _position = position;
        _layout = layout;
        _parent = parent;
    }

    private long Offset(int t) => _layout.Offset[t]!.Value;

    /// <summary>Null when the edge is sound, else the reason it is not.</summary>
    public string? WhyUnsound(TensorAlias alias)
    {
        int t = alias.Tensor, of = alias.Of;
        if (t == of) return "a tensor cannot alias itself";
        if (alias.Offset < 0 || alias.Offset + _problem.Size[t] > _problem.Size[of]) return "its bytes do not lie inside the other tensor";
        if (Offset(t) != Offset(of) + alias.Offset)
            return $"it is placed at {Offset(t)}, not at {Offset(of)} + {alias.Offset}";
        return alias.Reason switch
        {
            AliasReason.View => WhyNotView(t, of),
            AliasReason.InPlace => WhyNotInPlace(t, of),
            AliasReason.Concat => WhyNotConcatSlice(t, of),
            AliasReason.Slice => WhyNotSliceView(t, of, alias.Offset),
            _ => "unknown reason",
        };
    }

    private string? WhyNotView(int t, int of)
    {
        int producer = _problem.Producer[t];
        if (producer < 0) return "nothing writes it";
        var op = _problem.Graph.Operators[producer];
        if (!ReusableOperators.IsView(op)) return $"{op.OpType} is not a view operator";
        if (op.Inputs.Count == 0 || op.Inputs[0] != _problem.TensorName(of)) return "the other tensor is not the view's first operand";
        return _problem.Size[t] == _problem.Size[of] ? null : "sizes differ";
    }

    private string? WhyNotSliceView(int t, int of, long offset)
    {
        int producer = _problem.Producer[t];
        if (producer < 0) return "nothing writes it";
        var op = _problem.Graph.Operators[producer];
        if (op.Inputs.Count == 0 || op.Inputs[0] != _problem.TensorName(of)) return "the other tensor is not the slice's first operand";
        if (ReusableOperators.SliceViewOffset(_problem.Graph, op) is not { } at) return $"{op.OpType} is not a contiguous SLICE";
        return at == offset ? null : $"the slice starts {at} bytes into the other tensor, not {offset}";
    }

    private string? WhyNotInPlace(int t, int of)
    {
        int producer = _problem.Producer[t];
        if (producer < 0) return "nothing writes it";
        var op = _problem.Graph.Operators[producer];
        if (!ReusableOperators.Elementwise.Contains(op.OpType)) return $"{op.OpType} is not elementwise";
        if (!_problem.OperatorInputs[producer].Contains(of)) return "the other tensor is not an operand of its producer";
        if (!ReuseAnalysis.ElementsCoincide(_problem, of, t)) return "element sizes or counts differ";
        if (_problem.IsGraphInput[of] || _problem.IsGraphOutput[of]) return "the overwritten tensor is a graph input or output";
        int step = _position[producer];
        if (_liveness.Last[of] != step) return $"the overwritten tensor is still read after step {step}";
        // Death rule: nobody else may hold data in the overwritten bytes across this step.
        for (int u = 0; u < _problem.TensorCount; u++)
        {
            if (u == t || u == of || _layout.Offset[u] is not { } start) continue;
            bool sharesBytes = start < Offset(of) + _problem.Size[of] && Offset(of) < start + _problem.Size[u] && _problem.Size[u] > 0;
            bool holdsData = _liveness.First[u] <= step && (_liveness.Last[u] > step || _problem.IsGraphOutput[u]);
            if (sharesBytes && holdsData)
                return $"'{_problem.TensorName(u)}' shares the overwritten bytes and is still needed after step {step}";
        }
        return null;
    }

    private string? WhyNotConcatSlice(int t, int of)
    {
        int producer = _problem.Producer[of];
        if (producer < 0) return "nothing writes the concat output";
        var op = _problem.Graph.Operators[producer];
        if (!ReusableOperators.Concats.Contains(op.OpType)) return $"{op.OpType} is not a concatenation";
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var id in _problem.OperatorInputs[producer]) names[_problem.TensorName(id)] = id;
        var operands = op.Inputs.Select(i => i is not null && names.TryGetValue(i, out var id) ? id : -1).ToArray();
        var slices = ReuseAnalysis.ContiguousConcatSlices(_problem, op, operands, of);
        if (slices is null) return "the concat layout does not make each input a contiguous slice";
        for (int i = 0; i < operands.Length; i++)
            if (_layout.Offset[operands[i]] is not { } o || o != Offset(of) + slices[i])
                return $"input '{_problem.TensorName(operands[i])}' is not at its slice offset {slices[i]}, so the concat would copy";
        foreach (var input in operands)
            if (ReachesByViewOrInPlace(input, t)) return null;
        return "it is not an input of the concat, nor shares bytes with one through views or in-place writes";
    }

    private bool ReachesByViewOrInPlace(int from, int target)
    {
        var seen = new HashSet<int>();
        for (int t = from; seen.Add(t); )
        {
            if (t == target) return true;
            if (!_parent.TryGetValue(t, out var a) || a.Reason == AliasReason.Concat) return false;
            t = a.Of;
        }
        return false;
    }
}
