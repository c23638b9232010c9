using GraphDsl.TestKit.Tflite;
using BuiltinOptions = (byte Type, System.Func<Google.FlatBuffers.FlatBufferBuilder, int> Write);

namespace GraphDsl.TestKit.Tflm;

/// <summary>Small random branched int8 <c>.tflite</c> models that TensorFlow Lite Micro's reference
/// kernels accept: seed in, the same bytes out on every machine and run.</summary>
/// <remarks>
/// Operators: CONV_2D and DEPTHWISE_CONV_2D (per-channel int8 weights, int32 bias), ADD, SUB and
/// MUL (same shape or broadcast over a [1,1,1,C] operand), MAXIMUM and MINIMUM, CONCATENATION on several axes (negative
/// ones too, and the same operand twice), RESHAPE (new shape as a constant input, as an option,
/// or both), SQUEEZE, EXPAND_DIMS, SPLIT, AVERAGE_POOL_2D and MAX_POOL_2D (2x2/2, 3x3/1 SAME,
/// global), RELU, RELU6, LOGISTIC, TANH, HARD_SWISH, LEAKY_RELU, QUANTIZE (int8 to int8). Structures: fan-outs (operands are drawn from every live
/// tensor, not only the newest), joins, graph inputs first read by a late operator, graph outputs
/// that other operators also read, several inputs and outputs, and chains that let the arena
/// planner write elementwise outputs in place, reshape as views and concatenate in place.
/// <para>Quantization follows what the Prepare functions in
/// <c>tensorflow/lite/micro/kernels</c> require: CONCATENATION inputs share the output's scale
/// and zero point (<c>concatenation.cc</c>), pooling keeps its input's (<c>pooling_common.cc</c>),
/// RELU6 needs 6.0 representable in its input's (<c>activations_common.cc</c>), LOGISTIC writes
/// zero point -128 (<c>logistic_common.cc</c>; scale 1/256 as TFLite's converter gives it), TANH
/// scale 1/128 and zero point 0, CONV_2D/DEPTHWISE_CONV_2D weights are affine quantized with one
/// scale per output channel (<c>conv_common.cc</c>, <c>depthwise_conv_common.cc</c>), SPLIT's axis
/// is a constant (<c>split.cc</c>), at most 10 CONCATENATION inputs.</para>
/// </remarks>
public static class RandomTfliteModels
{
    /// <summary>The model for <paramref name="seed"/>, serialized.</summary>
    public static byte[] Build(int seed) => Create(seed).Build();

    /// <summary>The model for <paramref name="seed"/>, before serialization (to inspect or alter).</summary>
    public static TestTfliteModel Create(int seed) => new Generator(seed).Generate();

    // BuiltinOperator codes, BuiltinOptions union types and TensorType values from schema.fbs.
    internal const int Add = 0, AveragePool = 1, Concatenation = 2, Conv2D = 3, DepthwiseConv2D = 4, Logistic = 14,
        MaxPool = 17, Mul = 18, Relu = 19, Relu6 = 21, Reshape = 22, Tanh = 28, Sub = 41, Squeeze = 43, Split = 49,
        Maximum = 55, Minimum = 57, ExpandDims = 70, LeakyRelu = 98, Quantize = 114, HardSwish = 117;
    private const byte Conv2DOptions = 1, DepthwiseConv2DOptions = 2, Pool2DOptions = 5, ConcatenationOptions = 10,
        AddOptions = 11, ReshapeOptions = 17, MulOptions = 21, SubOptions = 28, SqueezeOptions = 30, SplitOptions = 35,
        ExpandDimsOptions = 52, LeakyReluOptions = 75;
    private const sbyte Int32 = 2, Int8 = 9;
    private const byte Same = 0, Valid = 1, ActNone = 0, ActRelu = 1, ActRelu6 = 3;

    /// <summary>Largest activation the generator makes, in bytes (keeps TFLM runs quick).</summary>
    private const int MaxBytes = 2048;

    private sealed record Quant(float Scale, long ZeroPoint)
    {
        /// <summary>RELU6 clamps at the quantized 6.0, which must be an int8 value.</summary>
        public bool HoldsSix => Math.Round(6.0 / Scale) + ZeroPoint <= 127;
    }

    private static readonly Quant[] Common = [new(0.05f, -10), new(0.1f, 5)];
    private static readonly Quant LogisticOut = new(1f / 256, -128), TanhOut = new(1f / 128, 0);

    private sealed class Activation(int index, int[] shape, Quant quant)
    {
        public int Index { get; } = index;
        public int[] Shape { get; } = shape;
        public Quant Quant { get; } = quant;
        public int Reads { get; set; }
        public int Bytes => Shape.Aggregate(1, (a, d) => a * d);
        public bool IsImage => Shape.Length == 4;
    }

    private sealed class Generator(int seed)
    {
        private readonly Random _random = new(seed);
        private readonly TestTfliteModel _model = new() { Description = $"GraphDsl random TFLM model, seed {seed}" };
        private readonly TestSubgraph _graph = new() { Name = "main" };
        private readonly Dictionary<int, uint> _opcodes = [];
        private readonly List<Activation> _live = [];
        private readonly List<int> _inputs = [];

        public TestTfliteModel Generate()
        {
            int operators = _random.Next(6, 17);
            // Graph input 0 is read first; the others are first read by the operator at their step,
            // often late in the stored order.
            var lateInputs = Enumerable.Range(0, _random.Next(0, 3)).Select(_ => _random.Next(2, operators)).Order().ToList();
            NewInput(RandomImageShape(), Pick(Common));
            while (_graph.Operators.Count < operators)
            {
                if (lateInputs.Count > 0 && lateInputs[0] <= _graph.Operators.Count)
                {
                    lateInputs.RemoveAt(0);
                    ReadLateInput();
                }
                else Step();
            }
            // Tensors no operator reads are outputs, except a few (a SPLIT part nobody wants, say).
            var unread = _live.Where(a => a.Reads == 0 && !_inputs.Contains(a.Index)).ToList();
            var outputs = unread.Where((a, i) => i == unread.Count - 1 || _random.Next(6) != 0).Select(a => a.Index).ToList();
            // Outputs that other operators also read.
            foreach (var a in _live.Where(a => a.Reads > 0 && !_inputs.Contains(a.Index) && _random.Next(4) == 0).Take(2))
                outputs.Add(a.Index);
            // Rarely, a graph input that no operator reads.
            if (_random.Next(12) == 0) NewInput(RandomImageShape(), Pick(Common));
            _graph.Inputs = _inputs.ToArray();
            _graph.Outputs = outputs.OrderBy(_ => _random.Next()).ToArray();
            _model.Subgraphs.Add(_graph);
            return _model;
        }

        /// <summary>One random operator over live tensors.</summary>
        private void Step()
        {
            switch (_random.Next(20))
            {
                case 0 or 1 or 2: Conv(PickOperand(a => a.IsImage)); break;
                case 3 or 4: Depthwise(PickOperand(a => a.IsImage)); break;
                case 5 or 6: Binary(PickOperand(_ => true)); break;
                case 7 or 8 or 9: Concat(PickOperand(_ => true)); break;
                case 10 or 11: ReshapeLike(PickOperand(_ => true)); break;
                case 12: SplitOf(PickOperand(_ => true)); break;
                case 13: Pool(PickOperand(a => a.IsImage)); break;
                default: Elementwise(PickOperand(_ => true)); break;
            }
        }

        /// <summary>A new graph input shaped like a live tensor, read at once by an operator that
        /// also reads that tensor (a join) or by a unary one.</summary>
        private void ReadLateInput()
        {
            var like = PickOperand(_ => true);
            var input = NewInput(like.Shape, like.Quant);
            switch (_random.Next(4))
            {
                case 0: Arithmetic(_random.Next(2) == 0 ? Add : Mul, [like, input]); break;
                case 1: ConcatOf([like, input], 1); break;
                case 2 when input.IsImage: Conv(input); break;
                default: Elementwise(input); break;
            }
        }

        private void Conv(Activation x)
        {
            int k = _random.Next(2) == 0 ? 1 : 3, stride = x.Shape[1] >= 2 && x.Shape[2] >= 2 && _random.Next(4) == 0 ? 2 : 1;
            byte padding = x.Shape[1] >= k && x.Shape[2] >= k && _random.Next(3) == 0 ? Valid : Same;
            int pixels = OutSize(x.Shape[1], k, stride, padding) * OutSize(x.Shape[2], k, stride, padding) * x.Shape[0];
            ConvTo(x, Math.Clamp(MaxBytes / pixels, 1, _random.Next(1, 17)), k, stride, padding, Pick(Common));
        }

        /// <summary>CONV_2D with per-channel weights [cout, k, k, cin] (quantized dimension 0) and an
        /// int32 bias whose scales are input scale x weight scale, as TFLite's converter writes them;
        /// one in eight has an absent bias (-1), which <c>conv.cc</c> runs. (DEPTHWISE_CONV_2D always
        /// has one: <c>depthwise_conv_common.cc</c> frees a -1 bias in Prepare and aborts; with no
        /// bias slot at all both kernels aborted in Eval when tried.)</summary>
        private Activation ConvTo(Activation x, int cout, int k, int stride, byte padding, Quant output)
        {
            int cin = x.Shape[3];
            var shape = new[] { x.Shape[0], OutSize(x.Shape[1], k, stride, padding), OutSize(x.Shape[2], k, stride, padding), cout };
            var (weights, bias) = Weights([cout, k, k, cin], 0, x.Quant, output, k * k * cin);
            byte activation = FusedActivation(output);
            return Emit(Conv2D, [x], shape, output, (Conv2DOptions, b =>
            {
                b.StartTable(7);
                b.AddByte(0, padding, 0); b.AddInt(1, stride, 0); b.AddInt(2, stride, 0); b.AddByte(3, activation, 0);
                b.AddInt(4, 1, 1); b.AddInt(5, 1, 1);
                return b.EndTable();
            }), weights, _random.Next(8) == 0 ? -1 : bias);
        }

        private void Depthwise(Activation x)
        {
            int k = _random.Next(2) == 0 ? 3 : 1, multiplier = x.Bytes <= MaxBytes / 2 && _random.Next(3) == 0 ? 2 : 1;
            int stride = x.Shape[1] >= 2 && x.Shape[2] >= 2 && _random.Next(4) == 0 ? 2 : 1;
            byte padding = x.Shape[1] >= k && x.Shape[2] >= k && _random.Next(3) == 0 ? Valid : Same;
            int cout = x.Shape[3] * multiplier;
            var shape = new[] { x.Shape[0], OutSize(x.Shape[1], k, stride, padding), OutSize(x.Shape[2], k, stride, padding), cout };
            var output = _random.Next(3) == 0 ? x.Quant : Pick(Common);
            var (weights, bias) = Weights([1, k, k, cout], 3, x.Quant, output, k * k);
            byte activation = FusedActivation(output);
            Emit(DepthwiseConv2D, [x], shape, output, (DepthwiseConv2DOptions, b =>
            {
                b.StartTable(7);
                b.AddByte(0, padding, 0); b.AddInt(1, stride, 0); b.AddInt(2, stride, 0); b.AddInt(3, multiplier, 0);
                b.AddByte(4, activation, 0); b.AddInt(5, 1, 1); b.AddInt(6, 1, 1);
                return b.EndTable();
            }), weights, bias);
        }

        /// <summary>ADD or MUL of two same-shaped tensors (made by a branch when none is live), of a
        /// tensor with itself, or broadcast with a [B,1,1,C] gate made from a global pool of it.</summary>
        private void Binary(Activation x)
        {
            int op = _random.Next(6) switch { 0 => Mul, 1 => Sub, 2 => Maximum, _ => Add };
            if (op == Maximum)
            {
                MinMax(x);
                return;
            }
            Activation y;
            int choice = _random.Next(6);
            if (choice == 0) y = x;
            else if (choice == 1 && x.IsImage && x.Shape[1] * x.Shape[2] > 1)
            {
                // Squeeze-and-excitation: pool to [B,1,1,C], a 1x1 CONV_2D, a sigmoid, broadcast.
                var pooled = PoolTo(x, x.Shape[1], x.Shape[2], 1, Valid, _random.Next(2) == 0 ? AveragePool : MaxPool);
                y = Unary(Logistic, ConvTo(pooled, x.Shape[3], 1, 1, Same, Pick(Common)), LogisticOut);
            }
            else y = PickOperand(a => a != x && a.Shape.SequenceEqual(x.Shape), fallback: false) ?? SameShapeBranch(x, Pick(Common));
            Arithmetic(op, _random.Next(2) == 0 ? [x, y] : [y, x]);
        }

        /// <summary>MAXIMUM or MINIMUM of same-shaped tensors: the reference kernel compares stored
        /// int8 values, so operands and output share one quantization.</summary>
        private void MinMax(Activation x)
        {
            var y = _random.Next(5) == 0 ? x
                : PickOperand(a => a != x && a.Shape.SequenceEqual(x.Shape) && a.Quant == x.Quant, fallback: false) ?? SameShapeBranch(x, x.Quant);
            Emit(_random.Next(2) == 0 ? Maximum : Minimum, _random.Next(2) == 0 ? [x, y] : [y, x], x.Shape, x.Quant, null);
        }

        /// <summary>ADD, SUB or MUL; the output has the larger operand's shape.</summary>
        private Activation Arithmetic(int op, Activation[] operands)
        {
            byte activation = FusedActivation(null);
            var shape = operands.MaxBy(o => o.Bytes)!.Shape;
            return Emit(op, operands, shape, Pick(Common), (op switch { Mul => MulOptions, Sub => SubOptions, _ => AddOptions }, b =>
            {
                b.StartTable(op == Mul ? 1 : 2); b.AddByte(0, activation, 0); return b.EndTable();
            }));
        }

        /// <summary>A tensor shaped like <paramref name="x"/> with quantization <paramref name="quant"/>:
        /// a 1x1 CONV_2D of a live image of the same batch, height and width (or of x), or a
        /// requantizing RELU of x.</summary>
        private Activation SameShapeBranch(Activation x, Quant quant)
        {
            if (!x.IsImage || _random.Next(4) == 0) return Unary(Relu, x, quant);
            var source = PickOperand(a => a.IsImage && a.Shape.Take(3).SequenceEqual(x.Shape.Take(3)), fallback: false) ?? x;
            return ConvTo(source, x.Shape[3], 1, 1, Same, quant);
        }

        /// <summary>A 4-D view [1,1,1,N] of a 2-D or 3-D tensor, for a CONV_2D over it.</summary>
        private Activation ImageOf(Activation x) => x.IsImage ? x : ReshapeTo(x, [1, 1, 1, x.Bytes]);

        private void Concat(Activation x)
        {
            int[] axes = x.Shape.Length switch
            {
                4 => [1, 1, 3, 3, 2, -1, -3, 0],
                3 => [1, 2, -1],
                _ => [1, 1, -1, 0],
            };
            ConcatOf([x], axes[_random.Next(axes.Length)]);
        }

        /// <summary>CONCATENATION along <paramref name="axis"/> of <paramref name="first"/> and up to
        /// three more tensors with the same quantization and the same dimensions off the axis: live
        /// ones, new branches, or the same tensor again.</summary>
        private void ConcatOf(List<Activation> first, int axis)
        {
            var x = first[0];
            int rank = x.Shape.Length, a = axis < 0 ? axis + rank : axis;
            bool Fits(Activation t) => t.Shape.Length == rank && t.Quant == x.Quant
                && Enumerable.Range(0, rank).All(d => d == a || t.Shape[d] == x.Shape[d]);
            var operands = new List<Activation>(first);
            int want = _random.Next(2, 5);
            while (operands.Count < want)
            {
                var next = _random.Next(5) switch
                {
                    0 => x,
                    1 or 2 => PickOperand(t => Fits(t) && !operands.Contains(t), fallback: false),
                    _ => null,
                } ?? (a == 3 && rank == 4
                    ? ConvTo(PickOperand(t => t.IsImage && t.Shape.Take(3).SequenceEqual(x.Shape.Take(3)), fallback: false) ?? x,
                        _random.Next(1, 9), 1, 1, Same, x.Quant)
                    : SameShapeBranch(x, x.Quant));
                if (Sum(operands, a) + next.Shape[a] > 64 || Bytes(x.Shape, a, Sum(operands, a) + next.Shape[a]) > MaxBytes) break;
                operands.Add(next);
            }
            var shape = (int[])x.Shape.Clone();
            shape[a] = Sum(operands, a);
            Emit(Concatenation, operands.OrderBy(_ => _random.Next()).ToArray(), shape, x.Quant, (ConcatenationOptions, b =>
            {
                b.StartTable(2); b.AddInt(0, axis, 0); b.AddByte(1, ActNone, 0); return b.EndTable();
            }));
        }

        private static int Sum(List<Activation> operands, int axis) => operands.Sum(o => o.Shape[axis]);

        private static int Bytes(int[] shape, int axis, int size) =>
            shape.Select((d, i) => i == axis ? size : d).Aggregate(1, (p, d) => p * d);

        /// <summary>RESHAPE to another factorization of the same element count (2-D, 3-D or 4-D),
        /// SQUEEZE of unit dimensions, or EXPAND_DIMS.</summary>
        private void ReshapeLike(Activation x)
        {
            int choice = _random.Next(8);
            var units = Enumerable.Range(1, x.Shape.Length - 1).Where(d => x.Shape[d] == 1).ToArray();
            if (choice <= 1 && units.Length > 0 && x.Shape.Length > 2)
            {
                // SQUEEZE some unit dimensions (keeping rank >= 2), listed in squeeze_dims.
                var squeezed = units.OrderBy(_ => _random.Next()).Take(_random.Next(1, Math.Min(units.Length, x.Shape.Length - 2) + 1)).Order().ToArray();
                var shape = x.Shape.Where((_, i) => !squeezed.Contains(i)).ToArray();
                Emit(Squeeze, [x], shape, x.Quant, (SqueezeOptions, b =>
                {
                    int vector = TestTfliteModel.Ints(b, squeezed);
                    b.StartTable(1); b.AddOffset(0, vector, 0); return b.EndTable();
                }));
                return;
            }
            if (choice <= 3 && x.Shape.Length < 4)
            {
                int axis = _random.Next(1, x.Shape.Length + 1);
                var shape = x.Shape.Take(axis).Append(1).Concat(x.Shape.Skip(axis)).ToArray();
                int axisTensor = Constant(Int32, [1], BitConverter.GetBytes(axis));
                Emit(ExpandDims, [x], shape, x.Quant, (ExpandDimsOptions, b => { b.StartTable(0); return b.EndTable(); }), axisTensor);
                return;
            }
            ReshapeTo(x, RandomShapeOf(x.Bytes, x.Shape));
        }

        /// <summary>RESHAPE with the new shape given as a constant input, as the <c>new_shape</c>
        /// option, or both (TFLM reads the output tensor's dims either way).</summary>
        private Activation ReshapeTo(Activation x, int[] shape)
        {
            int form = _random.Next(3);
            var data = shape.SelectMany(BitConverter.GetBytes).ToArray();
            BuiltinOptions? options = form == 1 ? null : (ReshapeOptions, b =>
            {
                int vector = TestTfliteModel.Ints(b, shape);
                b.StartTable(1); b.AddOffset(0, vector, 0); return b.EndTable();
            });
            return form == 0
                ? Emit(Reshape, [x], shape, x.Quant, options)
                : Emit(Reshape, [x], shape, x.Quant, options, Constant(Int32, [shape.Length], data));
        }

        private int[] RandomShapeOf(int n, int[] current)
        {
            for (int attempt = 0; attempt < 8; attempt++)
            {
                int rank = _random.Next(2, 5);
                var shape = new int[rank];
                shape[0] = 1;
                int left = n;
                for (int d = 1; d < rank - 1; d++)
                {
                    var divisors = Enumerable.Range(1, Math.Min(left, 16)).Where(v => left % v == 0).ToArray();
                    shape[d] = divisors[_random.Next(divisors.Length)];
                    left /= shape[d];
                }
                shape[rank - 1] = left;
                if (!shape.SequenceEqual(current)) return shape;
            }
            return current.Length == 2 ? [1, 1, n] : [1, n];
        }

        /// <summary>SPLIT into 2 or 3 equal parts along a dimension they divide (axis a constant).</summary>
        private void SplitOf(Activation x)
        {
            var choices = Enumerable.Range(1, x.Shape.Length - 1)
                .SelectMany(d => new[] { 2, 3 }.Where(p => x.Shape[d] % p == 0).Select(p => (Axis: d, Parts: p))).ToArray();
            if (choices.Length == 0)
            {
                Elementwise(x);
                return;
            }
            var (axis, parts) = choices[_random.Next(choices.Length)];
            int written = _random.Next(3) == 0 ? axis - x.Shape.Length : axis;
            var shape = (int[])x.Shape.Clone();
            shape[axis] /= parts;
            int axisTensor = Constant(Int32, [], BitConverter.GetBytes(written));
            var outputs = Enumerable.Range(0, parts).Select(_ => NewActivation("split", shape, x.Quant)).ToArray();
            AddOperator(Split, [axisTensor, x.Index], outputs.Select(o => o.Index).ToArray(), (SplitOptions, b =>
            {
                b.StartTable(1); b.AddInt(0, parts, 0); return b.EndTable();
            }));
            Consume(x);
        }

        private void Pool(Activation x)
        {
            int h = x.Shape[1], w = x.Shape[2], type = _random.Next(2) == 0 ? AveragePool : MaxPool;
            switch (_random.Next(3))
            {
                case 0 when h >= 2 && w >= 2: PoolTo(x, 2, 2, 2, Valid, type); break;
                case 1 when h * w > 1: PoolTo(x, h, w, 1, Valid, type); break;
                default: PoolTo(x, 3, 3, 1, Same, type); break;
            }
        }

        /// <summary>A pool keeps its input's quantization (<c>pooling_common.cc</c>).</summary>
        private Activation PoolTo(Activation x, int fh, int fw, int stride, byte padding, int type)
        {
            var shape = new[] { x.Shape[0], OutSize(x.Shape[1], fh, stride, padding), OutSize(x.Shape[2], fw, stride, padding), x.Shape[3] };
            byte activation = _random.Next(4) == 0 ? ActRelu : ActNone;
            return Emit(type, [x], shape, x.Quant, (Pool2DOptions, b =>
            {
                b.StartTable(6);
                b.AddByte(0, padding, 0); b.AddInt(1, stride, 0); b.AddInt(2, stride, 0);
                b.AddInt(3, fw, 0); b.AddInt(4, fh, 0); b.AddByte(5, activation, 0);
                return b.EndTable();
            }));
        }

        /// <summary>RELU, RELU6 (when its input can hold 6.0), LOGISTIC, TANH, HARD_SWISH (its output
        /// scale must exceed input scale / 128, <c>hard_swish_common.cc</c>: true of the common
        /// ones), LEAKY_RELU, or QUANTIZE to the other common quantization.</summary>
        private void Elementwise(Activation x)
        {
            switch (_random.Next(8))
            {
                case 0 when x.Quant.HoldsSix: Unary(Relu6, x, x.Quant); break;
                case 1: Unary(Logistic, x, LogisticOut); break;
                case 2: Unary(Tanh, x, TanhOut); break;
                case 3: Unary(HardSwish, x, Pick(Common)); break;
                case 4:
                    float alpha = Pick([0.1f, 0.2f, 0.3f]);
                    Emit(LeakyRelu, [x], x.Shape, Pick(Common), (LeakyReluOptions, b =>
                    {
                        b.StartTable(1); b.AddFloat(0, alpha, 0); return b.EndTable();
                    }));
                    break;
                case 5: Unary(Quantize, x, Common.First(q => q != x.Quant)); break;
                default: Unary(Relu, x, _random.Next(3) == 0 ? Pick(Common) : x.Quant); break;
            }
        }

        /// <summary>RELU6 writes its input's quantization; LOGISTIC and TANH their fixed ones.</summary>
        private Activation Unary(int op, Activation x, Quant output) =>
            Emit(op, [x], x.Shape, op == Relu6 ? x.Quant : output, null);

        /// <summary>Per-channel weights of <paramref name="shape"/> along <paramref name="channelAxis"/>
        /// and an int32 bias; weight scales chosen so that outputs spread over the int8 range
        /// (accumulator ~ sqrt(depth) x 128 x 73 for uniform inputs and weights).</summary>
        private (int Weights, int Bias) Weights(int[] shape, int channelAxis, Quant input, Quant output, int depth)
        {
            int channels = shape[channelAxis];
            var bytes = new byte[shape.Aggregate(1, (a, d) => a * d)];
            for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)(sbyte)_random.Next(-127, 128);
            var scales = Enumerable.Range(0, channels)
                .Select(_ => (float)(output.Scale / input.Scale * 0.01 / Math.Sqrt(depth) * (0.5 + 1.5 * _random.NextDouble()))).ToArray();
            var bias = Enumerable.Range(0, channels).SelectMany(_ => BitConverter.GetBytes(_random.Next(-4000, 4001))).ToArray();
            int weights = _graph.Add(new TestTensor($"w{_graph.Tensors.Count}", Int8, shape, _model.AddBuffer(bytes))
            {
                Scales = scales, ZeroPoints = new long[channels], QuantizedDimension = channelAxis,
            });
            int biasTensor = _graph.Add(new TestTensor($"b{_graph.Tensors.Count}", Int32, [channels], _model.AddBuffer(bias))
            {
                Scales = scales.Select(s => s * input.Scale).ToArray(), ZeroPoints = new long[channels],
            });
            return (weights, biasTensor);
        }

        private byte FusedActivation(Quant? output) => _random.Next(4) switch
        {
            0 => ActRelu,
            1 when output is null || output.HoldsSix => ActRelu6,
            _ => ActNone,
        };

        /// <summary>Adds the operator reading <paramref name="operands"/> then <paramref name="constants"/>
        /// and writing one new activation, which becomes live.</summary>
        private Activation Emit(int op, Activation[] operands, int[] shape, Quant quant,
            BuiltinOptions? options, params int[] constants)
        {
            var output = NewActivation(NameOf(op), shape, quant);
            AddOperator(op, operands.Select(o => o.Index).Concat(constants).ToArray(), [output.Index], options);
            foreach (var o in operands) Consume(o);
            return output;
        }

        private void AddOperator(int op, int[] inputs, int[] outputs, BuiltinOptions? options)
        {
            if (!_opcodes.TryGetValue(op, out var code))
            {
                code = (uint)_model.OpCodes.Count;
                _opcodes[op] = code;
                _model.OpCodes.Add(new TestOpCode(op));
            }
            _graph.Operators.Add(new TestOperator(code, inputs, outputs)
            {
                OptionsType = options?.Type ?? 0,
                Options = options?.Write,
            });
        }

        private Activation NewActivation(string prefix, int[] shape, Quant quant)
        {
            int index = _graph.Add(new TestTensor($"{prefix}_{_graph.Tensors.Count}", Int8, shape)
            {
                Scales = [quant.Scale], ZeroPoints = [quant.ZeroPoint],
            });
            var a = new Activation(index, shape, quant);
            _live.Add(a);
            return a;
        }

        private Activation NewInput(int[] shape, Quant quant)
        {
            var a = NewActivation($"input{_inputs.Count}", shape, quant);
            _inputs.Add(a.Index);
            return a;
        }

        private static void Consume(Activation a) => a.Reads++;

        private int Constant(sbyte type, int[] shape, byte[] data) =>
            _graph.Add(new TestTensor($"c{_graph.Tensors.Count}", type, shape, _model.AddBuffer(data)));

        /// <summary>A live tensor meeting <paramref name="fits"/>: unread ones three times as likely
        /// (so few dangle), the newest more likely than old ones (chains), old ones still possible
        /// (fan-outs). Small enough tensors only, so outputs stay under <see cref="MaxBytes"/>.</summary>
        private Activation? PickOperand(Func<Activation, bool> fits, bool fallback)
        {
            var candidates = _live.Where(a => fits(a) && a.Bytes <= MaxBytes / 2).ToList();
            if (candidates.Count == 0) return fallback ? _live.Where(a => a.Bytes <= MaxBytes / 2).DefaultIfEmpty(_live[^1]).Last() : null;
            var weights = candidates.Select((a, i) => (a.Reads == 0 ? 3.0 : 1.0) * (1 + i)).ToArray();
            double r = _random.NextDouble() * weights.Sum();
            for (int i = 0; i < candidates.Count; i++)
                if ((r -= weights[i]) <= 0) return candidates[i];
            return candidates[^1];
        }

        private Activation PickOperand(Func<Activation, bool> fits) =>
            PickOperand(fits, fallback: false) ?? ImageOf(PickOperand(_ => true, fallback: true)!);

        private int[] RandomImageShape() => [1, Pick([1, 2, 4, 8]), Pick([1, 2, 4, 8]), _random.Next(1, 17)];

        private T Pick<T>(T[] choices) => choices[_random.Next(choices.Length)];

        private static int OutSize(int size, int filter, int stride, byte padding) =>
            padding == Same ? (size + stride - 1) / stride : (size - filter) / stride + 1;

        private static string NameOf(int op) => op switch
        {
            Add => "add", AveragePool => "avgpool", Concatenation => "concat", Conv2D => "conv", DepthwiseConv2D => "dwconv",
            Logistic => "logistic", MaxPool => "maxpool", Mul => "mul", Relu => "relu", Relu6 => "relu6", Reshape => "reshape",
            Tanh => "tanh", Squeeze => "squeeze", ExpandDims => "expand_dims", Sub => "sub", Maximum => "max", Minimum => "min",
            LeakyRelu => "leaky_relu", Quantize => "quantize", HardSwish => "hard_swish", _ => "op",
        };
    }
}
