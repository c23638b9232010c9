using GraphDsl.Ir;

namespace GraphDsl.Syntax.Tests;

/// <summary>Random but valid models that exercise every corner of the printed syntax: names that
/// need quotes, every element type, unknown/symbolic/scalar/unknown-rank shapes, per-tensor and
/// per-axis quantization, every attribute value kind (nested, empty, NaN, infinities), inline and
/// referenced constants, annotations and several graphs. Operators form a DAG.</summary>
internal sealed class RandomModels(int seed)
{
    private readonly Random _random = new(seed);
    private int _unique;

    private static readonly string[] NamePrefixes =
    [
        "t", "conv", "_x", "model", "graph", "q", "data", "inf", "nan", "true", "_", "op", "var",
        "a b", "out:0", "1st", "", "caf\u00e9", "quote\"d", "back\\slash", "tab\there", "line\nbreak",
        "ctl\u0001", "emoji\ud83d\ude00", "x.y", "minus-sign", "[brackets]", "{brace}", "f32", "i8",
    ];

    private static readonly string[] OpTypes =
    [
        "CONV_2D", "ADD", "ai.onnx.Conv", "data.reshape", "x.q.true", "_._", "q", "model", "two words",
        "a..b", "", "com.microsoft.QLinearConv", "CUSTOM\"op\"", "9LIVES",
    ];

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private bool Chance(double p) => _random.NextDouble() < p;

    /// <summary>A fresh name, unique within this generator, often needing quotes.</summary>
    private string Name() => Pick(NamePrefixes) + (_unique++).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public Model Model()
    {
        var graphs = Enumerable.Range(0, _random.Next(1, 4)).Select(_ => Graph()).ToEquatableArray();
        return new Model(graphs)
        {
            Name = Chance(0.5) ? Name() : null,
            Attributes = Chance(0.5) ? Attributes(2) : AttributeMap.Empty,
            Annotations = Chance(0.5) ? Annotations() : AttributeMap.Empty,
        };
    }

    private Graph Graph()
    {
        var tensors = new List<Tensor>();
        var available = new List<string>();
        var inputs = new List<string>();
        for (int i = _random.Next(0, 3); i > 0; i--)
        {
            var t = Tensor(TensorKind.Activation);
            tensors.Add(t);
            inputs.Add(t.Name);
            available.Add(t.Name);
        }
        for (int i = _random.Next(0, 4); i > 0; i--)
        {
            var t = Tensor(Chance(0.8) ? TensorKind.Constant : TensorKind.Variable);
            tensors.Add(t);
            available.Add(t.Name);
        }
        var operators = new List<Operator>();
        var produced = new List<string>();
        for (int i = _random.Next(0, 6); i > 0; i--)
        {
            var operands = Enumerable.Range(0, _random.Next(0, 4))
                .Select(_ => available.Count == 0 || Chance(0.15) ? null : Pick(available)).ToList();
            var results = new List<string?>();
            for (int r = _random.Next(0, 3); r > 0; r--)
            {
                if (Chance(0.15)) { results.Add(null); continue; }
                var t = Tensor(TensorKind.Activation);
                tensors.Add(t);
                results.Add(t.Name);
                produced.Add(t.Name);
            }
            operators.Add(new Operator(Pick(OpTypes), operands.ToEquatableArray(), results.ToEquatableArray())
            {
                Name = Chance(0.3) ? Name() : null,
                Attributes = Chance(0.6) ? Attributes(3) : AttributeMap.Empty,
                Annotations = Chance(0.4) ? Annotations() : AttributeMap.Empty,
            });
            available.AddRange(results.Where(r => r is not null)!);
        }
        // Shuffle the tensor table: declaration order is free and must be kept.
        var table = tensors.OrderBy(_ => _random.Next()).ToEquatableArray();
        return new Graph(Name(), table, operators.ToEquatableArray(), inputs.ToEquatableArray(),
            produced.Where(_ => Chance(0.5)).ToEquatableArray())
        {
            Attributes = Chance(0.4) ? Attributes(2) : AttributeMap.Empty,
            Annotations = Chance(0.4) ? Annotations() : AttributeMap.Empty,
        };
    }

    private Tensor Tensor(TensorKind kind)
    {
        var type = new TensorType(Pick(Enum.GetValues<DataType>()), Shape());
        return new Tensor(Name(), type)
        {
            Kind = kind,
            Quantization = Chance(0.4) ? Quantization() : null,
            Attributes = Chance(0.3) ? Attributes(2) : AttributeMap.Empty,
            Annotations = Chance(0.3) ? Annotations() : AttributeMap.Empty,
            Data = kind == TensorKind.Constant && Chance(0.7) ? ConstantData(type) : null,
        };
    }

    private Shape Shape()
    {
        if (Chance(0.1)) return Ir.Shape.UnknownRank;
        var dims = Enumerable.Range(0, _random.Next(0, 5)).Select(_ => _random.Next(6) switch
        {
            0 => Dim.Unknown,
            1 => Dim.Named(Name()),
            2 => Dim.Known(0),
            // At most 60 per dim: rank 4 of c128 stays under the IR's 2^31-1-byte tensor limit (GD1110).
            _ => Dim.Known(_random.Next(1, 61)),
        });
        return new Shape(dims.ToEquatableArray());
    }

    private Quantization Quantization()
    {
        if (Chance(0.5)) return Ir.Quantization.PerTensor(Double(), Long());
        int n = _random.Next(0, 4);
        return new Quantization(
            Enumerable.Range(0, n).Select(_ => Double()).ToEquatableArray(),
            Enumerable.Range(0, Chance(0.8) ? n : _random.Next(0, 4)).Select(_ => Long()).ToEquatableArray(),
            Chance(0.7) ? _random.Next(0, 4) : null);
    }

    /// <summary>Referenced, or inline bytes of a whole number of elements (random bit patterns, so
    /// NaN payloads, subnormals and negative zero all occur).</summary>
    private ConstantData ConstantData(TensorType type)
    {
        if (Chance(0.4)) return new ConstantData.Reference(Name());
        int elementBytes = Math.Max(1, type.ElementType.BitsPerElement() / 8);
        var bytes = new byte[elementBytes * _random.Next(0, 5) + (Chance(0.1) ? 1 : 0)];
        _random.NextBytes(bytes);
        if (type.ElementType == DataType.Bool && Chance(0.8)) for (int i = 0; i < bytes.Length; i++) bytes[i] &= 1;
        return new ConstantData.Inline(bytes.ToEquatableArray());
    }

    private AttributeMap Annotations() =>
        AttributeMap.From(Enumerable.Range(0, _random.Next(1, 3)).Select(_ => KeyValuePair.Create(Name(),
            Chance(0.5) ? new AttributeValue.Record(Chance(0.3) ? AttributeMap.Empty : Attributes(1)) : Value(1))));

    private AttributeMap Attributes(int depth) =>
        AttributeMap.From(Enumerable.Range(0, _random.Next(1, 4)).Select(_ => KeyValuePair.Create(Name(), Value(depth))));

    private AttributeValue Value(int depth) => _random.Next(depth > 0 ? 8 : 6) switch
    {
        0 => new AttributeValue.Int(Long()),
        1 => new AttributeValue.Float(Double()),
        2 => new AttributeValue.Bool(Chance(0.5)),
        3 => new AttributeValue.Str(Name()),
        4 => new AttributeValue.Bytes(Enumerable.Range(0, _random.Next(0, 5)).Select(_ => (byte)_random.Next(256)).ToEquatableArray()),
        5 => new AttributeValue.List(EquatableArray<AttributeValue>.Empty),
        6 => new AttributeValue.List(Enumerable.Range(0, _random.Next(0, 4)).Select(_ => Value(depth - 1)).ToEquatableArray()),
        _ => new AttributeValue.Record(Attributes(depth - 1)),
    };

    private long Long() => _random.Next(5) switch
    {
        0 => long.MinValue,
        1 => long.MaxValue,
        2 => _random.NextInt64(-300, 300),
        _ => _random.NextInt64(long.MinValue, long.MaxValue),
    };

    private double Double() => _random.Next(10) switch
    {
        0 => double.NaN,
        1 => double.PositiveInfinity,
        2 => double.NegativeInfinity,
        3 => -0.0,
        4 => double.Epsilon,
        5 => double.MaxValue,
        6 => Math.Round(_random.NextDouble() * 10, 2),
        _ => BitConverter.Int64BitsToDouble(_random.NextInt64()) is var d && double.IsFinite(d) ? d : 1e-300,
    };
}
