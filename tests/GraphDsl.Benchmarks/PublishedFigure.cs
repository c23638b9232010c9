namespace GraphDsl.Benchmarks;

/// <summary>A peak reported elsewhere for a corpus model, shown next to ours (KB = 1000 bytes,
/// as the published three-decimal figures imply exact byte counts).</summary>
internal sealed record PublishedFigure(string Model, double StoredPeakKb, double OptimizedPeakKb)
{
    public static readonly PublishedFigure[] Known =
    [
        new("light_densenet121.onnx", 8429.568, 5221.264),
    ];
}
