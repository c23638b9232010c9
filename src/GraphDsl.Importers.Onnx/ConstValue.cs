using GraphDsl.Ir;

namespace GraphDsl.Importers.Onnx;

/// <summary>The elements of a small constant, kept as 64-bit integers (integer and bool types)
/// or doubles (floating types), row-major. Enough to fold the shape arithmetic that exporters
/// emit (Shape, Gather, Concat, Reshape ...) without a tensor library.</summary>
internal sealed class ConstValue
{
    /// <summary>Constants larger than this keep only their shape: folding big weights needs
    /// their size, never their numbers.</summary>
    public const long MaxElements = 1 << 16;

    private ConstValue(long[] shape, long[]? ints, double[]? reals)
    {
        Shape = shape;
        Ints = ints;
        Reals = reals;
    }

    public long[] Shape { get; }

    public long[]? Ints { get; }

    public double[]? Reals { get; }

    public bool IsInteger => Ints is not null;

    public int Count => IsInteger ? Ints!.Length : Reals!.Length;

    /// <summary>Elements of <paramref name="shape"/>, saturating at <see cref="long.MaxValue"/>
    /// (also for a negative extent) instead of wrapping around: a 2^40 x 2^40 shape must fail the
    /// <see cref="MaxElements"/> checks, not pass them as a small or negative number.</summary>
    public static long ElementCount(IEnumerable<long> shape)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) return long.MaxValue;
            if (d != 0 && n > long.MaxValue / d) n = long.MaxValue;
            else n *= d;
        }
        return n;
    }

    public static ConstValue OfInts(long[] shape, long[] values) => new(shape, values, null);

    public static ConstValue OfReals(long[] shape, double[] values) => new(shape, null, values);

    public static ConstValue Of(DataType type, long[] shape, Func<int, double> element)
    {
        int n = checked((int)ElementCount(shape));
        if (IsIntegral(type))
        {
            var ints = new long[n];
            for (int i = 0; i < n; i++) ints[i] = (long)element(i);
            return OfInts(shape, ints);
        }
        var reals = new double[n];
        for (int i = 0; i < n; i++) reals[i] = element(i);
        return OfReals(shape, reals);
    }

    public static bool IsIntegral(DataType type) => !type.IsFloatingPoint() && type is not (DataType.Complex64 or DataType.Complex128
        or DataType.Float8E4M3FN or DataType.Float8E4M3FNUZ or DataType.Float8E5M2 or DataType.Float8E5M2FNUZ or DataType.Float4E2M1);

    public double this[long i] => IsInteger ? Ints![i] : Reals![i];

    public long[] AsLongs() => IsInteger ? Ints! : Reals!.Select(r => (long)r).ToArray();

    public ConstValue WithShape(long[] shape) => new(shape, Ints, Reals);

    /// <summary>Converted to the element kind of <paramref name="type"/> (Cast).</summary>
    public ConstValue ConvertTo(DataType type) => type == DataType.Bool
        ? Of(type, Shape, i => this[i] != 0 ? 1 : 0)
        : Of(type, Shape, i => this[i]);

    /// <summary>A new constant of <paramref name="shape"/> whose element at each output position
    /// is this constant's element at the flat index <paramref name="source"/> returns for the
    /// output's multi-index (Gather, Slice, Transpose, Expand all reduce to this). Null when the
    /// result would exceed <see cref="MaxElements"/>.</summary>
    public ConstValue? Remap(long[] shape, Func<long[], long> source)
    {
        long n = ElementCount(shape);
        if (n > MaxElements) return null;
        var index = new long[shape.Length];
        var ints = IsInteger ? new long[n] : null;
        var reals = IsInteger ? null : new double[n];
        for (long flat = 0; flat < n; flat++)
        {
            long src = source(index);
            if (ints is not null) ints[flat] = Ints![src]; else reals![flat] = Reals![src];
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                if (++index[d] < shape[d]) break;
                index[d] = 0;
            }
        }
        return new ConstValue(shape, ints, reals);
    }

    /// <summary>Row-major strides of <paramref name="shape"/>.</summary>
    public static long[] Strides(long[] shape)
    {
        var strides = new long[shape.Length];
        long s = 1;
        for (int d = shape.Length - 1; d >= 0; d--) { strides[d] = s; s *= shape[d]; }
        return strides;
    }
}
