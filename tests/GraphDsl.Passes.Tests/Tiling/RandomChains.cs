using GraphDsl.Ir;

namespace GraphDsl.Passes.Tests.Tiling;

/// <summary>Random small NHWC chains of the operators row-band tiling cuts: CONV_2D and
/// DEPTHWISE_CONV_2D (kernel 1-5, stride 1-2, dilation 1-2, SAME/VALID), VALID pools, PAD, RELU
/// and residual ADD blocks; seed in, graph out (input <c>x</c>, output the last tensor).</summary>
internal static class RandomChains
{
    public static Graph Build(int seed)
    {
        var rng = new Random(seed);
        var tensors = new List<Tensor>();
        var ops = new List<Operator>();
        var q = Quantization.PerTensor(0.05, 0);
        long h = rng.Next(4, 25), w = rng.Next(1, 9), c = rng.Next(1, 5);
        string cur = "x";
        tensors.Add(Act("x", h, w, c));
        int n = rng.Next(1, 6);
        int id = 0;

        Tensor Act(string name, long hh, long ww, long cc) => new(name, new TensorType(DataType.Int8, Shape.Of(1, hh, ww, cc))) { Quantization = q };
        string Next() => $"t{id++}";
        string Const(string name, params long[] dims)
        {
            tensors.Add(new Tensor(name, new TensorType(DataType.Int8, Shape.Of(dims))) { Kind = TensorKind.Constant });
            return name;
        }
        string Emit(string type, string?[] inputs, long hh, long ww, long cc, params (string, AttributeValue)[] attributes)
        {
            var name = Next();
            tensors.Add(Act(name, hh, ww, cc));
            ops.Add(new Operator(type, inputs.ToEquatableArray(), EquatableArray.Create<string?>(name)) { Attributes = AttributeMap.From(attributes) });
            (cur, h, w, c) = (name, hh, ww, cc);
            return name;
        }
        string Window(string type, long kh, long kw, long s, long d, bool same, long co)
        {
            long eh = (kh - 1) * d + 1, ew = (kw - 1) * d + 1;
            if (!same && (h < eh || w < ew)) same = true;
            long ho = same ? (h + s - 1) / s : (h - eh) / s + 1, wo = same ? (w + s - 1) / s : (w - ew) / s + 1;
            var attrs = new List<(string, AttributeValue)> { ("padding", same ? "SAME" : "VALID"), ("stride_w", s), ("stride_h", s) };
            string?[] inputs;
            if (type is "MAX_POOL_2D" or "AVERAGE_POOL_2D")
            {
                attrs.Add(("filter_width", kw));
                attrs.Add(("filter_height", kh));
                inputs = [cur];
                co = c;
            }
            else
            {
                attrs.Add(("dilation_w_factor", d));
                attrs.Add(("dilation_h_factor", d));
                var wName = Const($"w{id}", type == "CONV_2D" ? [co, kh, kw, c] : [1, kh, kw, co]);
                inputs = [cur, wName, Const($"b{id}", co)];
            }
            return Emit(type, inputs, ho, wo, co, attrs.ToArray());
        }

        for (int i = 0; i < n; i++)
        {
            long k = rng.Next(1, 4), kw = rng.Next(1, 4), s = rng.Next(1, 3), d = s == 1 ? rng.Next(1, 3) : 1;
            if (rng.Next(6) == 0) k = 5;
            switch (rng.Next(7))
            {
                case 0 or 1: Window("CONV_2D", k, kw, s, d, rng.Next(2) == 0, rng.Next(1, 5)); break;
                case 2: Window("DEPTHWISE_CONV_2D", k, kw, s, d, rng.Next(2) == 0, c * rng.Next(1, 3)); break;
                case 3:
                    if (h >= k && w >= kw) Window(rng.Next(2) == 0 ? "MAX_POOL_2D" : "AVERAGE_POOL_2D", k, kw, s, 1, false, c);
                    else Emit("RELU", [cur], h, w, c);
                    break;
                case 4:
                {
                    long[] p = [0, 0, rng.Next(0, 3), rng.Next(0, 3), rng.Next(0, 3), rng.Next(0, 3), 0, 0];
                    var name = $"p{id}";
                    tensors.Add(new Tensor(name, new TensorType(DataType.Int32, Shape.Of(4, 2)))
                    {
                        Kind = TensorKind.Constant,
                        Data = new ConstantData.Inline(p.SelectMany(v => BitConverter.GetBytes((int)v)).ToEquatableArray()),
                    });
                    Emit("PAD", [cur, name], h + p[2] + p[3], w + p[4] + p[5], c);
                    break;
                }
                case 5: Emit("RELU", [cur], h, w, c); break;
                default:
                {
                    var skip = cur;
                    var branch = Window("CONV_2D", k, kw, 1, 1, true, c);
                    Emit("ADD", [skip, branch], h, w, c);
                    break;
                }
            }
        }
        return new Graph("main", tensors.ToEquatableArray(), ops.ToEquatableArray(), EquatableArray.Create("x"), EquatableArray.Create(cur));
    }
}
