using GraphDsl.Ir;

namespace GraphDsl.Analysis;

/// <summary>An activation alive at some step, with its arena bytes (TFLM's element sizes, see
/// <see cref="RuntimeTensorBytes"/>): what reports list for the peak.</summary>
public sealed record LiveTensor(string Name, long Bytes)
{
    /// <summary>The tensors alive at <paramref name="profile"/>'s peak, largest first.</summary>
    public static IReadOnlyList<LiveTensor> AtPeak(MemoryProblem problem, MemoryProfile profile) =>
        (profile.PeakTensors ?? []).Select(t => new LiveTensor(problem.TensorName(t), problem.Size[t])).ToArray();

    /// <summary>Named tensors of <paramref name="graph"/> with their bytes (0 for a name the graph
    /// lacks or an unsized type: read back from annotations, which may be hand-written).</summary>
    public static IReadOnlyList<LiveTensor> Named(Graph graph, IEnumerable<string> names) =>
        names.Select(n => new LiveTensor(n, graph.FindTensor(n) is { } t ? RuntimeTensorBytes.Of(t.Type) ?? 0 : 0)).ToArray();

    /// <summary><c>a 4,096 B, b 1,024 B</c>, at most <paramref name="max"/> then <c>and 3 more</c>;
    /// a name longer than <paramref name="nameWidth"/> is shortened (<see cref="ShortName"/>).</summary>
    /// <summary>A tensor name of at most <paramref name="width"/> characters for console lines: the
    /// middle is replaced by "..." so both the start and the end stay (TFLite converters join several
    /// op names with ';', and band tensors differ only in their suffix, e.g. <c>/r0b3</c>); JSON,
    /// CSV and the report keep the whole name.</summary>
    public static string ShortName(string name, int width = 48)
    {
        if (name.Length <= width || width < 12) return name;
        int tail = (width - 3) / 2, head = width - 3 - tail;
        return name[..head] + "..." + name[^tail..];
    }

    public static string Describe(IReadOnlyList<LiveTensor> tensors, int max = 8, int nameWidth = 48)
    {
        string Name(string n) => ShortName(n, nameWidth);
        var shown = tensors.Take(max).Select(t => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Name(t.Name)} {t.Bytes:N0} B"));
        var text = string.Join(", ", shown);
        return tensors.Count > max ? $"{text} and {tensors.Count - max} more" : text;
    }
}
