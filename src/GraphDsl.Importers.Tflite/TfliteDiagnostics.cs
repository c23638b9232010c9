using GraphDsl.Ir.Diagnostics;

[assembly: DiagnosticRange("GD2101", "GD2199")]

namespace GraphDsl.Importers.Tflite;

/// <summary>Diagnostics of the TFLite importer and rewriter (GD21xx; GD2xxx is the importer range,
/// and the TFLite front end takes the 2100 block).</summary>
public static class TfliteDiagnostics
{
    public static readonly DiagnosticDescriptor CannotReadFile =
        new("GD2101", Severity.Error, "cannot read the file: {0}");

    public static readonly DiagnosticDescriptor NotTflite =
        new("GD2102", Severity.Error, "not a TFLite model: {0}");

    public static readonly DiagnosticDescriptor MalformedFlatBuffer =
        new("GD2103", Severity.Error, "malformed TFLite flatbuffer: {0}");

    public static readonly DiagnosticDescriptor BadReference =
        new("GD2104", Severity.Error, "invalid TFLite model: {0}");

    public static readonly DiagnosticDescriptor UnsupportedTensorType =
        new("GD2105", Severity.Error, "tensor type {0} is not supported: it has no fixed byte size (TensorFlow Lite Micro cannot allocate it either)");

    public static readonly DiagnosticDescriptor CannotRewrite =
        new("GD2106", Severity.Error, "cannot rewrite the TFLite model: {0}");
}
