namespace GraphDsl.Passes;

/// <summary>Where a pass puts files it produces (a lowered model, a C header, a CSV). The host
/// decides the destination and writes atomically (temp file, then rename) only when the whole
/// pipeline succeeds, so a failing or cancelled run leaves no partial output.</summary>
public interface IArtifactSink
{
    /// <summary>Offers an artifact by logical name, e.g. <c>model.tflite</c>, <c>model.h</c>.</summary>
    void Write(string name, ReadOnlyMemory<byte> content);
}
