using GraphDsl.Ir;

namespace GraphDsl.Passes.Tests.Tiling;

/// <summary>A direct evaluator of the NHWC operators the tiler emits, written from the operators'
/// definitions (TFLite padding formula, zero padding) and not from the tiler: the oracle of the
/// tiling property tests. Values are doubles holding small integers, so sums are exact and two
/// graphs computing the same function give identical numbers. Weights without data get values
/// from their name, the same in the original and the tiled graph.</summary>
internal static class ReferenceInterpreter
{
    public sealed record Value(long[] Shape, double[] Data)
    {
        public double At(long h, long w, long c) => Data[(h * Shape[2] + w) * Shape[3] + c];
    }

    public static Dictionary<string, Value> Run(Graph graph, IReadOnlyDictionary<string, Value> inputs)
    {
        var values = new Dictionary<string, Value>(inputs, StringComparer.Ordinal);
        Value Get(string name)
        {
            if (values.TryGetValue(name, out var v)) return v;
            var t = graph.Tensor(name);
            var shape = t.Type.Shape.Dims.Select(d => d.Value!.Value).ToArray();
            var data = t.Data is ConstantData.Inline inline && t.Type.ElementType == DataType.Int32
                ? Enumerable.Range(0, inline.Bytes.Count / 4).Select(i => (double)BitConverter.ToInt32(inline.Bytes.AsImmutableArray().AsSpan(i * 4, 4))).ToArray()
                : Seeded(name, shape.Aggregate(1L, (a, b) => a * b));
            return values[name] = new Value(shape, data);
        }
        foreach (var op in graph.Operators)
        {
            var output = graph.Tensor(op.Outputs[0]!);
            var outShape = output.Type.Shape.Dims.Select(d => d.Value!.Value).ToArray();
            values[output.Name] = Evaluate(op, op.Inputs.Select(i => i is null ? null : Get(i)).ToArray(), outShape);
        }
        return values;
    }

    private static double[] Seeded(string name, long count)
    {
        var rng = new Random(StringComparer.Ordinal.GetHashCode(name) & 0x7fffffff ^ name.Length);
        return Enumerable.Range(0, (int)count).Select(_ => (double)rng.Next(-3, 4)).ToArray();
    }

    private static Value Evaluate(Operator op, Value?[] inputs, long[] shape)
    {
        var data = new double[shape.Aggregate(1L, (a, b) => a * b)];
        var result = new Value(shape, data);
        long H = shape.Length == 4 ? shape[1] : 0, W = shape.Length == 4 ? shape[2] : 0, C = shape.Length == 4 ? shape[3] : 0;
        long Attr(string name, long d) => op.Attributes[name]?.AsInt() ?? d;
        switch (op.OpType)
        {
            case "CONV_2D" or "DEPTHWISE_CONV_2D" or "MAX_POOL_2D" or "AVERAGE_POOL_2D":
            {
                var x = inputs[0]!;
                bool conv = op.OpType == "CONV_2D", dw = op.OpType == "DEPTHWISE_CONV_2D", pool = !conv && !dw;
                var w = pool ? null : inputs[1];
                long kh = pool ? Attr("filter_height", 1) : w!.Shape[1], kw = pool ? Attr("filter_width", 1) : w!.Shape[2];
                long sh = Attr("stride_h", 1), sw = Attr("stride_w", 1), dh = Attr("dilation_h_factor", 1), dwf = Attr("dilation_w_factor", 1);
                long inH = x.Shape[1], inW = x.Shape[2], inC = x.Shape[3];
                long pt = 0, pl = 0;
                if ((op.Attributes["padding"] as AttributeValue.Str)?.Value == "SAME")
                {
                    pt = Math.Max((H - 1) * sh + (kh - 1) * dh + 1 - inH, 0) / 2;
                    pl = Math.Max((W - 1) * sw + (kw - 1) * dwf + 1 - inW, 0) / 2;
                }
                long mult = dw ? C / inC : 1;
                for (long oy = 0; oy < H; oy++)
                for (long ox = 0; ox < W; ox++)
                for (long oc = 0; oc < C; oc++)
                {
                    double acc = op.OpType == "MAX_POOL_2D" ? double.NegativeInfinity : 0;
                    long cells = 0;
                    for (long ky = 0; ky < kh; ky++)
                    for (long kx = 0; kx < kw; kx++)
                    {
                        long iy = oy * sh - pt + ky * dh, ix = ox * sw - pl + kx * dwf;
                        bool inside = iy >= 0 && iy < inH && ix >= 0 && ix < inW;
                        if (conv)
                        {
                            if (!inside) continue; // zero padding
                            for (long ic = 0; ic < inC; ic++) acc += x.At(iy, ix, ic) * w!.Data[((oc * kh + ky) * kw + kx) * inC + ic];
                        }
                        else if (dw)
                        {
                            if (inside) acc += x.At(iy, ix, oc / mult) * w!.Data[(ky * kw + kx) * C + oc];
                        }
                        else if (inside)
                        {
                            cells++;
                            acc = op.OpType == "MAX_POOL_2D" ? Math.Max(acc, x.At(iy, ix, oc)) : acc + x.At(iy, ix, oc);
                        }
                    }
                    if (op.OpType == "AVERAGE_POOL_2D") acc /= cells;
                    if (!pool && inputs.Length > 2 && inputs[2] is { } bias) acc += bias.Data[oc];
                    data[(oy * W + ox) * C + oc] = acc;
                }
                break;
            }
            case "PAD":
            {
                var x = inputs[0]!;
                var p = inputs[1]!.Data;
                for (long y = 0; y < x.Shape[1]; y++)
                for (long xx = 0; xx < x.Shape[2]; xx++)
                for (long c = 0; c < x.Shape[3]; c++)
                    data[((y + (long)p[2]) * W + xx + (long)p[4]) * C + c + (long)p[6]] = x.At(y, xx, c);
                break;
            }
            case "SLICE":
            {
                var x = inputs[0]!;
                var b = inputs[1]!.Data;
                for (long y = 0; y < H; y++)
                for (long xx = 0; xx < W; xx++)
                for (long c = 0; c < C; c++)
                    data[(y * W + xx) * C + c] = x.At(y + (long)b[1], xx + (long)b[2], c + (long)b[3]);
                break;
            }
            case "CONCATENATION":
            {
                Assert(op.Attributes["axis"]?.AsInt() == 1, "concat axis 1");
                long at = 0;
                foreach (var x in inputs)
                {
                    Array.Copy(x!.Data, 0, data, at, x.Data.Length);
                    at += x.Data.Length;
                }
                break;
            }
            case "ADD":
                for (int i = 0; i < data.Length; i++) data[i] = inputs[0]!.Data[i] + inputs[1]!.Data[i];
                break;
            case "RELU":
                for (int i = 0; i < data.Length; i++) data[i] = Math.Max(0, inputs[0]!.Data[i]);
                break;
            default:
                throw new NotSupportedException(op.OpType);
        }
        return result;
    }

    private static void Assert(bool condition, string what)
    {
        if (!condition) throw new InvalidOperationException(what);
    }
}
