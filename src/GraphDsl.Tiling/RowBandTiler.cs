using GraphDsl.Ir;

namespace GraphDsl.Tiling;

/// <summary>Rewrites a <see cref="TilingRegion"/> into K bands of output rows run one after
/// another, bit-exact with builtin operators only.</summary>
/// <remarks>
/// Stages, per band k (output rows <c>[k*H/K, (k+1)*H/K)</c> of the region output):
/// 1. backwards from the output, the rows every region tensor must hold: a window operator needs
///    <see cref="RowWindow.InputRowsOf"/> of its output rows, clipped to its input (the halo);
///    a tensor read by several operators holds the union;
/// 2. forwards: a SLICE of the region input's rows, then each operator's band copy on band-sized
///    tensors with the original weights; where the original padded (SAME, or a PAD operator), an
///    explicit PAD adds the rows above/below the input that this band touches and the columns
///    (PAD fills with the zero point, which is what a SAME convolution reads at the border; see
///    tensorflow/lite/micro/kernels/pad.cc), and the copy runs VALID; an operand needing fewer
///    rows than its band holds reads a SLICE of it;
/// 3. a CONCATENATION along the row axis of the K bands writes the original output tensor, so
///    its name and consumers are unchanged.
/// In ONNX's NCHW (<see cref="BandLayout.Nchw"/>) the same stages use Slice and Concat along axis
/// 2, and a window's band copy keeps its own border padding in <c>pads</c> (top on the first
/// band, bottom on the last, none between) instead of a PAD: exact for convolutions and for pools
/// alike, since the band's windows are the original's windows.
/// The new operators take the region's place in the stored order (the region input is produced
/// before the region and its output read after it, so the order stays topological); the inner
/// tensors of the region and constants only the region read (PAD's paddings) are removed.
/// </remarks>
public static class RowBandTiler
{
    /// <summary>The annotation on each new operator: <c>@tile(region=r, band=k, source="...")</c>
    /// (source: the first output of the operator it was cut from, or the region input/output for
    /// the SLICE/CONCATENATION that bound the bands).</summary>
    public const string Annotation = WellKnownAnnotations.Tile;

    /// <summary>Most inputs of one CONCATENATION: TFLM's <c>kMaxInputNum</c>
    /// (tensorflow/lite/micro/kernels/concatenation.cc); more bands are joined in groups first.</summary>
    public const int MaxConcatInputs = 10;

    /// <summary>Output rows of band <paramref name="k"/> of <paramref name="bands"/> over
    /// <paramref name="rows"/> rows: as even as possible.</summary>
    public static RowRange Band(long rows, int bands, int k) => new(k * rows / bands, (k + 1) * rows / bands);

    /// <summary>The graph with <paramref name="region"/> run in <paramref name="bands"/> bands.</summary>
    /// <exception cref="ArgumentException">bands is below 1 or above the output's rows, or a band
    /// would read only padding rows (a PAD of more rows than the band).</exception>
    public static Graph Tile(Graph graph, TilingRegion region, int bands, int regionIndex = 0)
    {
        var y = graph.Tensor(region.Output);
        long rows = region.Layout.Rows(y.Type.Shape);
        if (bands < 1 || bands > rows) throw new ArgumentException($"{bands} bands of {rows} rows", nameof(bands));
        var builder = new Builder(graph, region, regionIndex);
        var concatInputs = new List<string>();
        for (int k = 0; k < bands; k++) concatInputs.Add(builder.EmitBand(k, Band(rows, bands, k)));
        return builder.Finish(concatInputs);
    }

    /// <summary>The rows each region tensor holds in band <paramref name="band"/> (stage 1),
    /// clipped to the tensor; exposed for tests.</summary>
    public static Dictionary<string, RowRange> RequiredRows(Graph graph, TilingRegion region, RowRange band)
    {
        var need = new Dictionary<string, RowRange>(StringComparer.Ordinal) { [region.Output] = band };
        for (int i = region.Operators.Count - 1; i >= 0; i--)
        {
            var op = graph.Operators[region.Operators[i]];
            var rule = region.Rules[i];
            if (!need.TryGetValue(op.PresentOutputs.First(), out var r)) continue;
            void Need(string name, RowRange rr) => need[name] = need.TryGetValue(name, out var old) ? old.Union(rr) : rr;
            if (rule.Kind == BandKind.Pointwise)
            {
                foreach (var name in op.PresentInputs)
                    if (graph.FindTensor(name) is { IsActivation: true }) Need(name, r);
            }
            else
            {
                Need(op.Inputs[0]!, rule.Rows.InputRowsOf(r.First, r.End).Clip(rule.Rows.InputRows));
            }
        }
        return need;
    }

    private sealed class Builder(Graph graph, TilingRegion region, int regionIndex)
    {
        private readonly BandLayout _layout = region.Layout;
        private readonly List<Operator> _ops = [];
        private readonly List<Tensor> _tensors = [];
        private readonly HashSet<string> _names = new(graph.Tensors.Select(t => t.Name), StringComparer.Ordinal);

        public string EmitBand(int k, RowRange band)
        {
            var need = RequiredRows(graph, region, band);
            if (need.Values.Any(r => r.Count <= 0)) throw new ArgumentException($"band {k} {band} reads no rows of some tensor (only padding)");
            var held = new Dictionary<string, string>(StringComparer.Ordinal);
            string B(string t) => $"{t}/r{regionIndex}b{k}";
            AttributeMap Tag(string source) => AttributeMap.From((Annotation, new AttributeValue.Record(AttributeMap.From(
                ("region", (long)regionIndex), ("band", (long)k), ("source", source)))));

            var x = graph.Tensor(region.Input);
            var xRows = need[region.Input];
            held[region.Input] = xRows.Count == Rows(x) ? region.Input : Slice(region.Input, xRows.First, xRows, B(region.Input), Tag(region.Input));

            // The name of a tensor holding exactly rows `r` of `t` (a SLICE of its band when the band
            // holds more), made once: branches that read the same rows of one tensor (an Inception
            // block's 1x1 convolutions) share it.
            var slices = new Dictionary<(string, RowRange), string>();
            string RowsOf(string t, RowRange r, string forOutput)
            {
                var have = need[t];
                if (have == r) return held[t];
                if (!slices.TryGetValue((t, r), out var name))
                    slices[(t, r)] = name = Slice(held[t], r.First - have.First, r, $"{B(t)}/rows{r.First}_{r.End}", Tag(forOutput));
                return name;
            }

            for (int i = 0; i < region.Operators.Count; i++)
            {
                var op = graph.Operators[region.Operators[i]];
                var rule = region.Rules[i];
                var t = op.PresentOutputs.First();
                if (!need.TryGetValue(t, out var r)) continue;
                var tensor = graph.Tensor(t);
                var tag = Tag(t);
                if (rule.Kind == BandKind.Pointwise)
                {
                    var inputs = op.Inputs.Select(n => n is not null && graph.FindTensor(n) is { IsActivation: true } ? RowsOf(n, r, t) : n).ToArray();
                    held[t] = Emit(op with { Name = BandName(op, k), Inputs = inputs.ToEquatableArray(), Outputs = EquatableArray.Create<string?>(B(t)), Annotations = tag },
                        Band(tensor, r.Count, B(t)));
                    continue;
                }
                var wanted = rule.Rows.InputRowsOf(r.First, r.End);
                var clipped = wanted.Clip(rule.Rows.InputRows);
                long top = clipped.First - wanted.First, bottom = wanted.End - clipped.End;
                var source = RowsOf(op.Inputs[0]!, clipped, t);
                bool pad = rule.PadsWithZeroPoint && (top | bottom | rule.PadLeft | rule.PadRight | rule.ChannelPad.Before | rule.ChannelPad.After) != 0;
                if (rule.Kind == BandKind.Pad)
                {
                    held[t] = pad ? Pad(source, top, bottom, rule, B(t), Band(tensor, r.Count, B(t)), tag) : source;
                    continue;
                }
                var input = pad ? Pad(source, top, bottom, rule, $"{B(t)}/pad", null, tag) : source;
                var attributes = _layout.BandAttributes(op, pad ? 0 : top, pad ? 0 : bottom, rule);
                held[t] = Emit(op with
                {
                    Name = BandName(op, k),
                    Inputs = op.Inputs.Select((n, j) => j == 0 ? input : n).ToEquatableArray(),
                    Outputs = EquatableArray.Create<string?>(B(t)),
                    Attributes = attributes,
                    Annotations = tag,
                }, Band(tensor, r.Count, B(t)));
            }
            return held[region.Output];
        }

        public Graph Finish(List<string> bandOutputs)
        {
            var y = graph.Tensor(region.Output);
            AttributeMap Tag(long band) => AttributeMap.From((Annotation, new AttributeValue.Record(AttributeMap.From(
                ("region", (long)regionIndex), ("band", band), ("source", region.Output)))));
            var inputs = bandOutputs;
            if (inputs.Count > _layout.MaxConcatInputs)
            {
                // TFLM's CONCATENATION takes at most kMaxInputNum inputs: join groups of bands first
                // (each group a contiguous row range, so in-place concatenation nests).
                var groups = new List<string>();
                long rows = Rows(y);
                int bands = bandOutputs.Count, most = _layout.MaxConcatInputs;
                for (int g = 0, first = 0; first < bands; g++, first += most)
                {
                    int end = Math.Min(bands, first + most);
                    var name = $"{region.Output}/r{regionIndex}g{g}";
                    var range = new RowRange(RowBandTiler.Band(rows, bands, first).First, RowBandTiler.Band(rows, bands, end - 1).End);
                    groups.Add(Emit(Concat(bandOutputs.GetRange(first, end - first), name, Tag(end)), Band(y, range.Count, name)));
                }
                inputs = groups;
            }
            _ops.Add(Concat(inputs, region.Output, Tag(bandOutputs.Count)));
            var removedOps = new HashSet<int>(region.Operators);
            int at = region.Operators.Max();
            var operators = new List<Operator>();
            for (int i = 0; i < graph.Operators.Count; i++)
            {
                if (i == at) operators.AddRange(_ops);
                if (!removedOps.Contains(i)) operators.Add(graph.Operators[i]);
            }
            // Inner tensors go; so do constants nothing reads any more (a region PAD's paddings).
            var read = new HashSet<string>(operators.SelectMany(o => o.PresentInputs.Concat(o.PresentOutputs)), StringComparer.Ordinal);
            var regionOutputs = region.Operators.Select(i => graph.Operators[i].PresentOutputs.First()).Where(n => n != region.Output);
            var dropped = new HashSet<string>(regionOutputs, StringComparer.Ordinal);
            foreach (var i in region.Operators)
                foreach (var n in graph.Operators[i].PresentInputs)
                    if (graph.FindTensor(n) is { IsActivation: false } && !read.Contains(n)) dropped.Add(n);
            var tensors = graph.Tensors.Where(t => !dropped.Contains(t.Name)).Concat(_tensors);
            return graph with { Operators = operators.ToEquatableArray(), Tensors = tensors.ToEquatableArray() };
        }

        private Operator Concat(List<string> inputs, string output, AttributeMap tag)
        {
            var (opType, attributes) = _layout.RowConcat();
            return new(opType, inputs.Select(b => (string?)b).ToEquatableArray(), EquatableArray.Create<string?>(output))
            {
                Attributes = attributes,
                Annotations = tag,
            };
        }

        /// <summary>A band copy's name: the original's with the band's suffix (ONNX node names
        /// must stay unique), or none when the original had none.</summary>
        private string? BandName(Operator op, int k) => op.Name is null ? null : $"{op.Name}/r{regionIndex}b{k}";

        private long Rows(Tensor t) => _layout.Rows(t.Type.Shape);

        private Shape Shape(Tensor like, long rows) => _layout.WithRows(like.Type.Shape, rows);

        private Tensor Band(Tensor of, long rows, string name) =>
            new(name, of.Type with { Shape = Shape(of, rows) }) { Quantization = of.Quantization };

        private string Add(Tensor t)
        {
            if (!_names.Add(t.Name)) throw new InvalidOperationException($"tensor name '{t.Name}' is taken");
            _tensors.Add(t);
            return t.Name;
        }

        private string Emit(Operator op, Tensor output)
        {
            Add(output);
            _ops.Add(op);
            return output.Name;
        }

        /// <summary>SLICE of rows <paramref name="rows"/> (absolute rows of the tensor it stands for)
        /// starting <paramref name="first"/> rows into <paramref name="of"/>.</summary>
        private string Slice(string of, long first, RowRange rows, string name, AttributeMap tag)
        {
            var source = _tensors.FirstOrDefault(t => t.Name == of) ?? graph.Tensor(of);
            var form = _layout.Slice(source.Type.Shape, first, rows.Count);
            var operands = form.Operands.Select(o => Constant($"{name}/{o.Suffix}", o.Type, o.Values, o.Values.Length));
            var output = Band(source, rows.Count, name);
            return Emit(new Operator(form.OpType, operands.Prepend(of).Select(n => (string?)n).ToEquatableArray(), EquatableArray.Create<string?>(name))
            {
                Attributes = form.Attributes,
                Annotations = tag,
            }, output);
        }

        private string Pad(string of, long top, long bottom, BandRule rule, string name, Tensor? output, AttributeMap tag)
        {
            var source = _tensors.FirstOrDefault(t => t.Name == of) ?? graph.Tensor(of);
            var d = source.Type.Shape.Dims.Select(x => x.Value!.Value).ToArray();
            output ??= new Tensor(name, source.Type with
            {
                Shape = Ir.Shape.Of(1, d[1] + top + bottom, d[2] + rule.PadLeft + rule.PadRight, d[3] + rule.ChannelPad.Before + rule.ChannelPad.After),
            }) { Quantization = source.Quantization };
            var paddings = Constant($"{name}/paddings", DataType.Int32, [0, 0, top, bottom, rule.PadLeft, rule.PadRight, rule.ChannelPad.Before, rule.ChannelPad.After], 4, 2);
            return Emit(new Operator("PAD", EquatableArray.Create<string?>(of, paddings), EquatableArray.Create<string?>(output.Name))
            {
                Attributes = AttributeMap.From(("version", 1L)),
                Annotations = tag,
            }, output);
        }

        /// <summary>A little-endian int32 or int64 constant.</summary>
        private string Constant(string name, DataType type, long[] values, params long[] dims)
        {
            var bytes = values.SelectMany(v => type == DataType.Int64 ? BitConverter.GetBytes(v) : BitConverter.GetBytes(checked((int)v))).ToArray();
            return Add(new Tensor(name, new TensorType(type, Ir.Shape.Of(dims)))
            {
                Kind = TensorKind.Constant,
                Data = new ConstantData.Inline(bytes.ToEquatableArray()),
            });
        }
    }
}
