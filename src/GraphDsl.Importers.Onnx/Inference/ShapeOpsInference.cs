using GraphDsl.Ir;

namespace GraphDsl.Importers.Onnx.Inference;

/// <summary>Operators that move or re-label elements: Reshape, Flatten, Transpose, Squeeze,
/// Unsqueeze, Concat, Split, Slice, Pad, Gather, Expand, Tile, DepthToSpace. Known values flow
/// through them, which is what folds the Shape -> Gather -> Concat -> Reshape chains.</summary>
internal static class ShapeOpsInference
{
    public static TensorFacts[]? Reshape(InferenceContext c)
    {
        var x = c.Input(0);
        if (x is null) return c.Fail("input 0 is missing");
        var target = c.IntsFromAttributeOrInput("shape", 1, out bool missing);
        if (target is null) return c.Fail(missing ? "the target shape (input 1) is not a known constant" : "no target shape");
        bool allowZero = c.Int("allowzero", 0) != 0;
        var dims = new Dim[target.Length];
        int inferred = -1;
        for (int i = 0; i < target.Length; i++)
        {
            if (target[i] == -1) { inferred = i; dims[i] = Dim.Unknown; }
            else if (target[i] == 0 && !allowZero)
            {
                if (x.Dims is null || i >= x.Rank) return c.Fail("shape entry 0 copies a dimension of an input of unknown rank");
                dims[i] = x.Dims[i];
            }
            else dims[i] = target[i];
        }
        if (inferred >= 0)
        {
            var total = x.KnownDims is { } known ? ConstValue.ElementCount(known) : (long?)null;
            long rest = dims.Where((d, i) => i != inferred).Any(d => !d.IsKnown) ? -1 : ConstValue.ElementCount(dims.Where((d, i) => i != inferred).Select(d => d.Value!.Value));
            if (total is null || rest <= 0) return c.Fail("cannot resolve -1: the input size is not known");
            dims[inferred] = total.Value / rest;
        }
        return [Reshaped(x, dims)];
    }

    private static TensorFacts Reshaped(TensorFacts x, Dim[] dims) =>
        new(x.Type, dims) { Value = x.Value is { } v && dims.All(d => d.IsKnown) ? v.WithShape(dims.Select(d => d.Value!.Value).ToArray()) : null };

    public static TensorFacts[]? Flatten(InferenceContext c)
    {
        var x = c.Input(0);
        if (x?.Dims is null) return c.Fail("the rank of input 0 is unknown");
        long axis = InferenceContext.Axis(c.Int("axis", 1), x.Rank);
        return [Reshaped(x, [Product(x.Dims.Take((int)axis)), Product(x.Dims.Skip((int)axis))])];
    }

    private static Dim Product(IEnumerable<Dim> dims) =>
        dims.All(d => d.IsKnown) ? Dim.Known(ConstValue.ElementCount(dims.Select(d => d.Value!.Value))) : Dim.Unknown;

    public static TensorFacts[]? Transpose(InferenceContext c)
    {
        var x = c.Input(0);
        if (x?.Dims is null) return c.Fail("the rank of input 0 is unknown");
        var perm = c.Ints("perm") ?? Enumerable.Range(0, x.Rank).Reverse().Select(i => (long)i).ToArray();
        if (perm.Length != x.Rank) return c.Fail($"perm has {perm.Length} entries for rank {x.Rank}");
        var dims = perm.Select(p => x.Dims[p]).ToArray();
        ConstValue? value = null;
        if (x.Value is { } v)
        {
            var strides = ConstValue.Strides(v.Shape);
            value = v.Remap(perm.Select(p => v.Shape[p]).ToArray(), idx => idx.Select((k, i) => k * strides[perm[i]]).Sum());
        }
        return [new TensorFacts(x.Type, dims) { Value = value }];
    }

    public static TensorFacts[]? Squeeze(InferenceContext c)
    {
        var x = c.Input(0);
        if (x?.Dims is null) return c.Fail("the rank of input 0 is unknown");
        var axes = c.IntsFromAttributeOrInput("axes", 1, out bool missing);
        if (missing) return c.Fail("the axes (input 1) are not a known constant");
        HashSet<long> drop;
        if (axes is null)
        {
            if (!x.IsFullyKnown) return c.Fail("without axes, Squeeze needs every input dimension known");
            drop = x.Dims.Select((d, i) => (d, i)).Where(p => p.d.Value == 1).Select(p => (long)p.i).ToHashSet();
        }
        else drop = axes.Select(a => InferenceContext.Axis(a, x.Rank)).ToHashSet();
        return [Reshaped(x, x.Dims.Where((d, i) => !drop.Contains(i)).ToArray())];
    }

    public static TensorFacts[]? Unsqueeze(InferenceContext c)
    {
        var x = c.Input(0);
        if (x?.Dims is null) return c.Fail("the rank of input 0 is unknown");
        var axes = c.IntsFromAttributeOrInput("axes", 1, out bool missing);
        if (axes is null) return c.Fail(missing ? "the axes (input 1) are not a known constant" : "no axes");
        int rank = x.Rank + axes.Length;
        var inserted = axes.Select(a => InferenceContext.Axis(a, rank)).ToHashSet();
        var dims = new Dim[rank];
        int k = 0;
        for (int i = 0; i < rank; i++) dims[i] = inserted.Contains(i) ? Dim.Known(1) : x.Dims[k++];
        return [Reshaped(x, dims)];
    }

    public static TensorFacts[]? Concat(InferenceContext c)
    {
        var parts = c.Inputs.Where(i => i is not null).Cast<TensorFacts>().ToList();
        var ranked = parts.FirstOrDefault(p => p.Dims is not null);
        if (ranked is null) return c.Fail("no input has a known rank");
        int rank = ranked.Rank;
        long axis = InferenceContext.Axis(c.Int("axis", 0), rank);
        if (parts.Any(p => p.Dims is null)) return c.Fail("an input has unknown rank");
        var dims = new Dim[rank];
        for (int d = 0; d < rank; d++)
        {
            dims[d] = d == axis
                ? parts.Aggregate(Dim.Known(0), (a, p) => a.IsKnown && p.Dims![d].IsKnown ? Dim.Known(a.Value!.Value + p.Dims[d].Value!.Value) : Dim.Unknown)
                : parts.Select(p => p.Dims![d]).FirstOrDefault(x => x.IsKnown, parts[0].Dims![d]);
        }
        ConstValue? value = null;
        if (parts.All(p => p.Value is not null) && dims.All(x => x.IsKnown))
        {
            // Row-major concatenation: for each outer index, append each part's block along axis.
            var shape = dims.Select(x => x.Value!.Value).ToArray();
            long outer = ConstValue.ElementCount(shape.Take((int)axis));
            var elements = new List<double>();
            for (long o = 0; o < outer; o++)
                foreach (var p in parts)
                {
                    long block = ConstValue.ElementCount(p.Value!.Shape.Skip((int)axis));
                    for (long i = 0; i < block; i++) elements.Add(p.Value[o * block + i]);
                }
            value = ConstValue.Of(ranked.Type ?? DataType.Int64, shape, i => elements[i]);
        }
        return [new TensorFacts(ranked.Type, dims) { Value = value }];
    }

    public static TensorFacts[]? Split(InferenceContext c)
    {
        var x = c.Input(0);
        if (x?.Dims is null) return c.Fail("the rank of input 0 is unknown");
        long axis = InferenceContext.Axis(c.Int("axis", 0), x.Rank);
        var sizes = c.IntsFromAttributeOrInput("split", 1, out bool missing);
        if (missing) return c.Fail("the split sizes (input 1) are not a known constant");
        int n = c.OutputCount;
        if (sizes is null)
        {
            if (!x.Dims[axis].IsKnown) return c.Fail("the split axis has unknown extent");
            long total = x.Dims[axis].Value!.Value;
            long chunk = c.Attribute("num_outputs") is not null ? ConvInference.CeilDiv(total, n) : total / n;
            sizes = Enumerable.Range(0, n).Select(i => Math.Max(0, Math.Min(chunk, total - i * chunk))).ToArray();
        }
        if (sizes.Length != n) return c.Fail($"{sizes.Length} split sizes for {n} outputs");
        return sizes.Select(s => new TensorFacts(x.Type, x.Dims.Select((d, i) => i == axis ? Dim.Known(s) : d).ToArray())).ToArray();
    }

    public static TensorFacts[]? Slice(InferenceContext c)
    {
        var x = c.Input(0);
        if (x?.Dims is null) return c.Fail("the rank of input 0 is unknown");
        var starts = c.IntsFromAttributeOrInput("starts", 1, out bool m1);
        var ends = c.IntsFromAttributeOrInput("ends", 2, out bool m2);
        var axes = c.IntsFromAttributeOrInput("axes", 3, out bool m3);
        var steps = c.Input(4)?.Value?.AsLongs();
        if (starts is null || ends is null || m3 || (c.Input(4) is not null && steps is null))
            return c.Fail("starts, ends, axes or steps are not known constants");
        axes ??= Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
        steps ??= Enumerable.Repeat(1L, starts.Length).ToArray();
        var dims = (Dim[])x.Dims.Clone();
        var begin = new long[x.Rank];
        var step = Enumerable.Repeat(1L, x.Rank).ToArray();
        for (int i = 0; i < axes.Length; i++)
        {
            int a = (int)InferenceContext.Axis(axes[i], x.Rank);
            if (!x.Dims[a].IsKnown) { dims[a] = Dim.Unknown; continue; }
            long d = x.Dims[a].Value!.Value, s = steps[i];
            long start = starts[i] < 0 ? starts[i] + d : starts[i];
            long end = ends[i] < 0 ? ends[i] + d : ends[i];
            if (s > 0) { start = Math.Clamp(start, 0, d); end = Math.Clamp(end, 0, d); }
            else { start = Math.Clamp(start, 0, d - 1); end = Math.Clamp(end, -1, d - 1); }
            dims[a] = Math.Max(0, ConvInference.CeilDiv(end - start, s));
            begin[a] = start;
            step[a] = s;
        }
        ConstValue? value = null;
        if (x.Value is { } v && dims.All(d => d.IsKnown))
        {
            var strides = ConstValue.Strides(v.Shape);
            value = v.Remap(dims.Select(d => d.Value!.Value).ToArray(), idx => idx.Select((k, i) => (begin[i] + k * step[i]) * strides[i]).Sum());
        }
        return [new TensorFacts(x.Type, dims) { Value = value }];
    }

    public static TensorFacts[]? Pad(InferenceContext c)
    {
        var x = c.Input(0);
        if (x?.Dims is null) return c.Fail("the rank of input 0 is unknown");
        var pads = c.IntsFromAttributeOrInput("pads", 1, out bool missing);
        if (pads is null) return c.Fail(missing ? "the pads (input 1) are not a known constant" : "no pads");
        var axes = c.Input(3)?.Value?.AsLongs()?.Select(a => InferenceContext.Axis(a, x.Rank)).ToArray()
            ?? Enumerable.Range(0, x.Rank).Select(i => (long)i).ToArray();
        if (c.Input(3) is { Value: null }) return c.Fail("the axes (input 3) are not a known constant");
        if (pads.Length != 2 * axes.Length) return c.Fail($"{pads.Length} pads for {axes.Length} axes");
        var dims = (Dim[])x.Dims.Clone();
        for (int i = 0; i < axes.Length; i++)
        {
            var d = x.Dims[axes[i]];
            dims[axes[i]] = d.IsKnown ? Dim.Known(d.Value!.Value + pads[i] + pads[i + axes.Length]) : Dim.Unknown;
        }
        return [new TensorFacts(x.Type, dims)];
    }

    public static TensorFacts[]? Gather(InferenceContext c)
    {
        var data = c.Input(0);
        var indices = c.Input(1);
        if (data?.Dims is null || indices?.Dims is null) return c.Fail("an input has unknown rank");
        int axis = (int)InferenceContext.Axis(c.Int("axis", 0), data.Rank);
        Dim[] dims = [.. data.Dims[..axis], .. indices.Dims, .. data.Dims[(axis + 1)..]];
        ConstValue? value = null;
        if (data.Value is { } v && indices.Value is { } iv && dims.All(d => d.IsKnown))
        {
            var strides = ConstValue.Strides(v.Shape);
            var istrides = ConstValue.Strides(iv.Shape);
            int q = iv.Shape.Length;
            long extent = v.Shape[axis];
            value = v.Remap(dims.Select(d => d.Value!.Value).ToArray(), idx =>
            {
                long flatIndex = 0;
                for (int i = 0; i < q; i++) flatIndex += idx[axis + i] * istrides[i];
                long g = (long)iv[flatIndex];
                if (g < 0) g += extent;
                long src = g * strides[axis];
                for (int i = 0; i < axis; i++) src += idx[i] * strides[i];
                for (int i = axis + 1; i < v.Shape.Length; i++) src += idx[i + q - 1] * strides[i];
                return src;
            });
        }
        return [new TensorFacts(data.Type, dims) { Value = value }];
    }

    public static TensorFacts[]? GatherElements(InferenceContext c) =>
        c.Input(1) is { } i ? [new TensorFacts(c.Input(0)?.Type, i.Dims)] : c.Fail("indices are missing");

    public static TensorFacts[]? GatherND(InferenceContext c)
    {
        var data = c.Input(0)?.Dims;
        var indices = c.Input(1)?.Dims;
        if (data is null || indices is null || indices.Length == 0 || !indices[^1].IsKnown) return c.Fail("ranks or the index depth are unknown");
        int batch = (int)c.Int("batch_dims", 0);
        int depth = (int)indices[^1].Value!.Value;
        return [new TensorFacts(c.Input(0)!.Type, [.. indices[..^1], .. data[(batch + depth)..]])];
    }

    public static TensorFacts[]? Expand(InferenceContext c)
    {
        var x = c.Input(0);
        var shape = c.Input(1)?.Value?.AsLongs();
        if (x is null || shape is null) return c.Fail("the target shape (input 1) is not a known constant");
        var dims = ElementwiseInference.BroadcastDims([x.Dims, shape.Select(Dim.Known).ToArray()]);
        if (dims is null) return c.Fail("the rank of input 0 is unknown");
        ConstValue? value = null;
        if (x.Value is { } v && dims.All(d => d.IsKnown))
        {
            var outShape = dims.Select(d => d.Value!.Value).ToArray();
            value = v.Remap(outShape, ElementwiseInference.BroadcastIndex(v.Shape, outShape));
        }
        return [new TensorFacts(x.Type, dims) { Value = value }];
    }

    public static TensorFacts[]? Tile(InferenceContext c)
    {
        var x = c.Input(0);
        var repeats = c.Input(1)?.Value?.AsLongs();
        if (x?.Dims is null || repeats is null) return c.Fail("the repeats (input 1) are not a known constant");
        return [new TensorFacts(x.Type, x.Dims.Select((d, i) => d.IsKnown ? Dim.Known(d.Value!.Value * repeats[i]) : Dim.Unknown).ToArray())];
    }

    public static TensorFacts[]? DepthToSpace(InferenceContext c)
    {
        var x = c.Input(0);
        if (x?.Dims is not { Length: 4 } d || !x.IsFullyKnown) return c.Fail("input 0 must be 4-D and known");
        long b = c.Int("blocksize", 1);
        bool toSpace = c.Node.OpType == "DepthToSpace";
        var (ch, h, w) = toSpace ? (d[1].Value / (b * b), d[2].Value * b, d[3].Value * b) : (d[1].Value * b * b, d[2].Value / b, d[3].Value / b);
        return [TensorFacts.Known(x.Type, [d[0].Value!.Value, ch!.Value, h!.Value, w!.Value])];
    }

    /// <summary>TopK: values and int64 indices with the axis cut to K.</summary>
    public static TensorFacts[]? TopK(InferenceContext c)
    {
        var x = c.Input(0);
        long? k = c.Input(1)?.Value?.AsLongs().FirstOrDefault() ?? (c.Attribute("k") is { HasI: true } a ? a.I : null);
        if (x?.Dims is null || k is null) return c.Fail("K is not a known constant");
        long axis = InferenceContext.Axis(c.Int("axis", -1), x.Rank);
        var dims = x.Dims.Select((d, i) => i == axis ? Dim.Known(k.Value) : d).ToArray();
        return [new TensorFacts(x.Type, dims), new TensorFacts(DataType.Int64, dims)];
    }
}
