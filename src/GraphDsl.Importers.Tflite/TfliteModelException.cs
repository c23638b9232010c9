using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Importers.Tflite;

/// <summary>A well-formed flatbuffer that is not a valid TFLite model (an index out of range, an
/// unsupported type). Internal control flow of the reader: <see cref="TfliteImporter"/> turns it
/// into a diagnostic at <see cref="Fragment"/>, with the exception message as the
/// descriptor's only format argument.</summary>
internal sealed class TfliteModelException(DiagnosticDescriptor descriptor, string fragment, string detail) : Exception(detail)
{
    public DiagnosticDescriptor Descriptor { get; } = descriptor;
    public string Fragment { get; } = fragment;
}
