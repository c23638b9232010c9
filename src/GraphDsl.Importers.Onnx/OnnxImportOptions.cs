namespace GraphDsl.Importers.Onnx;

/// <summary>Choices the ONNX importer cannot make from the file alone: the values of symbolic
/// (dynamic) dimensions such as <c>batch</c>.</summary>
public sealed record OnnxImportOptions
{
    public static OnnxImportOptions Default { get; } = new();

    /// <summary>Values for named symbolic dimensions (<c>--dim batch=1</c>).</summary>
    public IReadOnlyDictionary<string, long> DimValues { get; init; } = new Dictionary<string, long>();

    /// <summary>Used for a dynamic graph-input dimension that has no name or no value in
    /// <see cref="DimValues"/>; every use is reported as a warning (GD2208) so a wrong guess is
    /// visible. 1 is the edge-inference case (one sample per invocation).</summary>
    public long DefaultDynamicDim { get; init; } = 1;
}
