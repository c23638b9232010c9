namespace GraphDsl.Ir;

/// <summary>A tensor shape: a list of dimensions, or an unknown rank.</summary>
public sealed record Shape(EquatableArray<Dim> Dims, bool IsRankKnown = true)
{
    public static Shape Scalar { get; } = new(EquatableArray<Dim>.Empty);
    public static Shape UnknownRank { get; } = new(EquatableArray<Dim>.Empty, false);

    public static Shape Of(params long[] dims) => new(dims.Select(Dim.Known).ToEquatableArray());

    public int Rank => Dims.Count;

    public bool IsFullyKnown => IsRankKnown && Dims.All(d => d.IsKnown);

    /// <summary>Number of elements, or null when some dimension is not known.</summary>
    public long? ElementCount
    {
        get
        {
            if (!IsFullyKnown) return null;
            long count = 1;
            foreach (var d in Dims) count = checked(count * d.Value!.Value);
            return count;
        }
    }

    public override string ToString() => IsRankKnown ? "[" + string.Join(",", Dims) + "]" : "[*]";
}
