using GraphDsl.Analysis;
using GraphDsl.Ir;

namespace GraphDsl.ArenaPlanning;

/// <summary>Groups activations into shared buffers where an operator needs no separate output
/// bytes: view aliasing, elementwise in-place and in-place concatenation.</summary>
/// <remarks>
/// Operators are visited in execution order; each buffer is a tree of activations rooted at the
/// activation that owns its bytes, and a buffer lives from its first member's first step to its
/// last member's last step. Soundness rules, each re-checked by <see cref="ArenaPlanVerifier"/>:
/// <list type="bullet">
/// <item>View: the output is the first operand reinterpreted (equal byte size; a single-input
/// concatenation is one too). Neither is ever written again, so they may be read side by side.</item>
/// <item>Slice: the output of a SLICE that is one contiguous byte range of its input (a band of
/// rows, <see cref="ReusableOperators.SliceViewOffset"/>) sits at that range, like a view: both
/// are read-only afterwards, and the SLICE writes each byte with the value it already holds.</item>
/// <item>In-place: an elementwise operator writes output element i after reading input element i
/// only, so writing over an input of identical byte size and element width is safe when nothing
/// else needs that input's bytes afterwards: every activation of its buffer must be dead after this
/// step (the buffer-level death rule; this also protects views of the input and concat outputs
/// that contain it), and it is neither a graph input nor a graph output (the caller owns those).</item>
/// <item>Concat: when all output dimensions before the axis are 1, input i is the contiguous byte
/// range starting at the sum of the sizes of inputs 0..i-1. Each input's whole buffer is moved
/// into that slice, so its producer writes there and the concat copies nothing. Slices are
/// disjoint; activations are immutable once written, so an input read by later operators is still
/// intact; an input can be a slice of only one concat (its buffer must be exactly its own size and
/// it must not already be inside another: a single-input concat has its input's size, so the chain
/// of aliases from the input to its buffer's root is checked for a concat edge), and the inputs must
/// be distinct buffers. Because the merged buffer
/// lives for the union of its members' lifetimes, nothing else is placed over a slice before its
/// producer writes it or after the concat output dies.</item>
/// </list>
/// Alignment: buffer roots are placed at multiples of the arena alignment; a tensor inside a
/// buffer sits at its root's offset plus its offset in the buffer. Every tensor must sit at a
/// multiple of its element size (kernels access int32/float data through typed pointers, which
/// Cortex-M0 cores fault on when unaligned), and graph inputs and outputs at a multiple of the
/// arena alignment, as TFLite Micro aligns every buffer it hands to the application
/// (<c>MicroArenaBufferAlignment()</c>, 16 B). A reuse that would break this is not made.
/// </remarks>
public static class ReuseAnalysis
{
    /// <param name="alignment">The arena alignment in bytes (graph inputs and outputs stay on it).</param>
    public static BufferAssignment Compute(MemoryProblem problem, IReadOnlyList<int> order, Liveness liveness, ReuseKinds kinds, long alignment = 16)
    {
        if (kinds == ReuseKinds.None) return BufferAssignment.Separate(problem, liveness);
        var trees = new BufferTrees(problem, liveness, alignment);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int t = 0; t < problem.TensorCount; t++) ids.TryAdd(problem.TensorName(t), t);
        var aliases = new List<TensorAlias>();
        // Each attached root's alias, so a tensor's chain up to its buffer's root can be walked.
        var parent = new Dictionary<int, TensorAlias>();
        void Alias(TensorAlias alias)
        {
            aliases.Add(alias);
            parent[alias.Tensor] = alias;
        }

        for (int step = 0; step < order.Count; step++)
        {
            var op = problem.Graph.Operators[order[step]];
            var outputs = op.PresentOutputs.ToArray();
            if (outputs.Length != 1 || !ids.TryGetValue(outputs[0], out var output)) continue;
            if (!trees.IsAlone(output) || problem.IsGraphInput[output]) continue;
            var operands = op.Inputs.Select(i => i is not null && ids.TryGetValue(i, out var id) ? id : -1).ToArray();

            if (kinds.HasFlag(ReuseKinds.Views) && ReusableOperators.IsView(op)
                && operands.Length > 0 && operands[0] >= 0 && problem.Size[operands[0]] == problem.Size[output]
                && trees.Fits(output, operands[0], 0))
            {
                trees.Attach(output, operands[0], 0);
                Alias(new TensorAlias(output, operands[0], 0, AliasReason.View));
            }
            else if (kinds.HasFlag(ReuseKinds.Views) && operands.Length > 0 && operands[0] >= 0
                && ReusableOperators.SliceViewOffset(problem.Graph, op) is { } at && trees.Fits(output, operands[0], at))
            {
                trees.Attach(output, operands[0], at);
                Alias(new TensorAlias(output, operands[0], at, AliasReason.Slice));
            }
            else if (kinds.HasFlag(ReuseKinds.InPlace) && ReusableOperators.Elementwise.Contains(op.OpType)
                && FindOverwritableInput(problem, trees, operands, output, step) is { } input)
            {
                trees.Attach(output, input, 0);
                Alias(new TensorAlias(output, input, 0, AliasReason.InPlace));
            }
            else if (kinds.HasFlag(ReuseKinds.Concat) && ReusableOperators.Concats.Contains(op.OpType)
                && ConcatSlices(problem, trees, parent, op, operands, output) is { } slices)
            {
                for (int i = 0; i < operands.Length; i++)
                {
                    int root = trees.RootOf(operands[i]);
                    trees.Attach(root, output, slices[i]);
                    Alias(new TensorAlias(root, output, slices[i], AliasReason.Concat));
                }
            }
        }
        return trees.ToAssignment(aliases);
    }

    /// <summary>The first operand that the output may overwrite, or null (rules in the remarks).</summary>
    private static int? FindOverwritableInput(MemoryProblem problem, BufferTrees trees, int[] operands, int output, int step)
    {
        foreach (var input in operands)
        {
            if (input < 0 || !ElementsCoincide(problem, input, output)) continue;
            int root = trees.RootOf(input);
            if (trees.LastStep(root) != step || trees.Members(root).Any(m => problem.IsGraphInput[m] || problem.IsGraphOutput[m]))
                continue;
            if (!trees.Fits(output, input, 0)) continue;
            // Another operand in the same buffer would be read from bytes being overwritten.
            if (operands.Any(o => o >= 0 && o != input && trees.RootOf(o) == root)) continue;
            return input;
        }
        return null;
    }

    /// <summary>True when element i of both tensors sits at the same byte offset: same byte size,
    /// same element width and count.</summary>
    public static bool ElementsCoincide(MemoryProblem problem, int a, int b)
    {
        var ta = problem.Graph.Tensors[problem.Tensors[a]].Type;
        var tb = problem.Graph.Tensors[problem.Tensors[b]].Type;
        return problem.Size[a] == problem.Size[b] && ta.ElementType.BitsPerElement() == tb.ElementType.BitsPerElement()
            && ta.Shape.ElementCount == tb.Shape.ElementCount;
    }

    /// <summary>Offsets of each operand inside the concat output, or null when the concat cannot be
    /// done in place (rules in the remarks).</summary>
    private static long[]? ConcatSlices(MemoryProblem problem, BufferTrees trees, IReadOnlyDictionary<int, TensorAlias> parent,
        Operator op, int[] operands, int output)
    {
        var slices = ContiguousConcatSlices(problem, op, operands, output);
        if (slices is null) return null;
        var roots = new HashSet<int>();
        for (int i = 0; i < operands.Length; i++)
        {
            int input = operands[i];
            int root = trees.RootOf(input);
            if (root == output || !roots.Add(root) || trees.OffsetInRoot(input) != 0 || problem.Size[root] != problem.Size[input]
                || InsideConcat(input, parent) || !trees.Fits(root, output, slices[i]))
                return null;
        }
        return slices;
    }

    /// <summary>True when <paramref name="t"/>'s bytes are already a slice of a concat output: its
    /// chain of aliases up to its buffer's root crosses a concat edge. (The verifier accepts a concat
    /// slice only when an input reaches it through views and in-place writes.)</summary>
    private static bool InsideConcat(int t, IReadOnlyDictionary<int, TensorAlias> parent)
    {
        for (; parent.TryGetValue(t, out var alias); t = alias.Of)
            if (alias.Reason == AliasReason.Concat) return true;
        return false;
    }

    /// <summary>Byte offset of each operand inside the output when the concat layout makes every
    /// operand one contiguous range of it (all operands activations, sizes adding up); else null.
    /// Shared with the verifier, which re-derives the slices from the IR.</summary>
    public static long[]? ContiguousConcatSlices(MemoryProblem problem, Operator op, int[] operands, int output)
    {
        var shape = problem.Graph.Tensors[problem.Tensors[output]].Type.Shape;
        if (operands.Length == 0 || operands.Any(o => o < 0) || operands.Distinct().Count() != operands.Length) return null;
        if (ReusableOperators.ConcatAxis(op, shape.Rank) is not { } axis || !ReusableOperators.IsContiguousConcat(shape, axis))
            return null;
        var slices = new long[operands.Length];
        long at = 0;
        for (int i = 0; i < operands.Length; i++)
        {
            slices[i] = at;
            at += problem.Size[operands[i]];
        }
        return at == problem.Size[output] ? slices : null;
    }

    /// <summary>Bytes of one element of the activation in the arena (at least 1): the alignment its
    /// kernels need.</summary>
    public static long ElementBytes(MemoryProblem problem, int t) =>
        Math.Max(1, (problem.Graph.Tensors[problem.Tensors[t]].Type.ElementType.BitsPerElement() + 7) / 8);

    /// <summary>The buffers under construction: each activation's root and offset in it.</summary>
    private sealed class BufferTrees
    {
        private readonly MemoryProblem _problem;
        private readonly Liveness _liveness;
        private readonly int[] _root;
        private readonly long[] _offset;
        private readonly List<int>[] _members;
        private readonly int[] _first;
        private readonly int[] _last;

        private readonly long _alignment;

        public BufferTrees(MemoryProblem problem, Liveness liveness, long alignment)
        {
            _problem = problem;
            _liveness = liveness;
            _alignment = alignment;
            int n = problem.TensorCount;
            _root = Enumerable.Range(0, n).ToArray();
            _offset = new long[n];
            _members = Enumerable.Range(0, n).Select(t => new List<int> { t }).ToArray();
            _first = (int[])liveness.First.Clone();
            _last = (int[])liveness.Last.Clone();
        }

        public int RootOf(int t) => _root[t];
        public long OffsetInRoot(int t) => _offset[t];
        public IReadOnlyList<int> Members(int root) => _members[root];
        public int LastStep(int root) => _last[root];
        public bool IsAlone(int t) => _root[t] == t && _members[t].Count == 1;

        /// <summary>True when moving the buffer rooted at <paramref name="root"/> to
        /// <paramref name="offset"/> bytes after <paramref name="host"/> keeps every member aligned
        /// (rules in the remarks of <see cref="ReuseAnalysis"/>; the host's root is aligned).</summary>
        public bool Fits(int root, int host, long offset)
        {
            long shift = _offset[host] + offset;
            foreach (var m in _members[root])
            {
                long required = _problem.IsGraphInput[m] || _problem.IsGraphOutput[m] ? _alignment : ElementBytes(_problem, m);
                if ((shift + _offset[m]) % required != 0) return false;
            }
            return true;
        }

        /// <summary>Moves the whole buffer rooted at <paramref name="root"/> into the buffer of
        /// <paramref name="host"/>, <paramref name="offset"/> bytes after <paramref name="host"/>.</summary>
        public void Attach(int root, int host, long offset)
        {
            int hostRoot = _root[host];
            long shift = _offset[host] + offset;
            foreach (var m in _members[root])
            {
                _root[m] = hostRoot;
                _offset[m] += shift;
                _members[hostRoot].Add(m);
            }
            _members[root] = [];
            _first[hostRoot] = Math.Min(_first[hostRoot], _first[root]);
            _last[hostRoot] = Math.Max(_last[hostRoot], _last[root]);
        }

        public BufferAssignment ToAssignment(IReadOnlyList<TensorAlias> aliases)
        {
            var roots = Enumerable.Range(0, _root.Length).Where(t => _root[t] == t).ToArray();
            var bufferOfRoot = new Dictionary<int, int>();
            var buffers = new BufferInterval[roots.Length];
            for (int b = 0; b < roots.Length; b++)
            {
                int r = roots[b];
                bufferOfRoot[r] = b;
                long size = _members[r].Max(m => _offset[m] + _problem.Size[m]);
                buffers[b] = _members[r].Count == 1
                    ? new BufferInterval(b, size, _first[r], _last[r])
                    : new BufferInterval(b, size, _first[r], _last[r])
                    {
                        Parts = _members[r].Select(m => new BufferPart(_offset[m], _problem.Size[m], _liveness.First[m], _liveness.Last[m])).ToArray(),
                    };
            }
            var bufferOf = _root.Select(r => bufferOfRoot[r]).ToArray();
            return new BufferAssignment(buffers, bufferOf, (long[])_offset.Clone(), aliases);
        }
    }
}
