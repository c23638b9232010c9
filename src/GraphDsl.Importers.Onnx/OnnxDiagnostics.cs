using GraphDsl.Ir.Diagnostics;

[assembly: DiagnosticRange("GD2201", "GD2299")]

namespace GraphDsl.Importers.Onnx;

/// <summary>Diagnostics of the ONNX importer (GD22xx; the TFLite importer has GD21xx).</summary>
public static class OnnxDiagnostics
{
    public static readonly DiagnosticDescriptor CannotRead =
        new("GD2201", Severity.Error, "cannot read the ONNX file: {0}");

    public static readonly DiagnosticDescriptor InvalidProtobuf =
        new("GD2202", Severity.Error, "not a valid ONNX model (protobuf decoding failed): {0}");

    public static readonly DiagnosticDescriptor NoGraph =
        new("GD2203", Severity.Error, "the model has no graph (ModelProto field 7 is missing or has the wrong wire type)");

    public static readonly DiagnosticDescriptor DanglingInput =
        new("GD2204", Severity.Error, "node {0} ({1}) reads '{2}', which no node, initializer or graph input defines");

    public static readonly DiagnosticDescriptor Cycle =
        new("GD2205", Severity.Error, "the graph has a cycle; these nodes depend on each other: {0}");

    public static readonly DiagnosticDescriptor UnsizedTensor =
        new("GD2206", Severity.Error, "the size of tensor '{0}' cannot be known: node {1} ({2}): {3}");

    public static readonly DiagnosticDescriptor ValueInfoMismatch =
        new("GD2207", Severity.Warning, "value_info of '{0}' says {1} but inference gives {2}; using the inferred type");

    public static readonly DiagnosticDescriptor DynamicDimDefaulted =
        new("GD2208", Severity.Warning, "graph input '{0}' dimension {1} ('{2}') is dynamic; using {3} (set it with --dim {2}=N)");

    public static readonly DiagnosticDescriptor UnsupportedOperator =
        new("GD2209", Severity.Warning, "node {0}: operator {1} has no shape inference; its outputs are sized from value_info only");

    public static readonly DiagnosticDescriptor UnsupportedElementType =
        new("GD2210", Severity.Error, "tensor '{0}' has unknown element type code {1}");

    public static readonly DiagnosticDescriptor DanglingOutput =
        new("GD2211", Severity.Error, "graph output '{0}' is not produced by any node, initializer or graph input");

    public static readonly DiagnosticDescriptor BadInitializer =
        new("GD2212", Severity.Error, "initializer '{0}': {1}");

    public static readonly DiagnosticDescriptor DuplicateDefinition =
        new("GD2213", Severity.Error, "tensor '{0}' is defined more than once (by {1})");

    public static readonly DiagnosticDescriptor InferenceFailed =
        new("GD2214", Severity.Warning, "node {0} ({1}): {2}");

    public static readonly DiagnosticDescriptor StringActivation =
        new("GD2216", Severity.Warning, "tensor '{0}' holds strings, which have no fixed byte size; memory planning cannot place it");

    public static readonly DiagnosticDescriptor NoDefaultOpset =
        new("GD2215", Severity.Warning, "the model imports no default-domain opset; assuming opset {0}");

    public static readonly DiagnosticDescriptor BadDim =
        new("GD2217", Severity.Error, "--dim expects NAME=N with a positive integer N, got '{0}'");

    public static readonly DiagnosticDescriptor UnknownDim =
        new("GD2218", Severity.Error, "--dim {0}: the model has no symbolic dimension named '{0}'; its symbolic dimensions: {1}");
}
