using Google.Protobuf;
using GraphDsl.Importers.Onnx.Protos;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Importers.Onnx;

/// <summary>Reads an <c>.onnx</c> file into the IR, inferring the type and shape of every
/// value so that each activation has an exact byte size.</summary>
/// <remarks>
/// Stages: 1. decode the protobuf (Google.Protobuf classes generated from Protos/onnx_subset.proto);
/// 2. <see cref="OnnxGraphBuilder"/> sorts the nodes, infers facts node by node and folds every
/// node whose inputs are all constants (weights built by ConstantOfShape, shape arithmetic) into a
/// constant; 3. the remaining nodes become operators, and any activation without a size is an error.
/// Sub-graphs of If/Loop/Scan stay opaque: the graph attribute is summarised as text.
/// </remarks>
public static class OnnxImporter
{
    public static ReadResult Import(string path, OnnxImportOptions? options = null)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return ReadResult.Failure(Diagnostic.Create(OnnxDiagnostics.CannotRead, new ModelLocation(path, ""), e.Message));
        }
        return Import(bytes, path, options);
    }

    /// <summary>Imports model bytes; <paramref name="path"/> is used for locations only.</summary>
    public static ReadResult Import(byte[] bytes, string path, OnnxImportOptions? options = null)
    {
        var model = Decode(bytes, path, out var failure);
        if (model is null) return ReadResult.Failure(failure!);
        return new OnnxGraphBuilder(model, path, options ?? OnnxImportOptions.Default).Build();
    }

    internal static ModelProto? Decode(byte[] bytes, string path, out Diagnostic? failure)
    {
        failure = null;
        try { return ModelProto.Parser.ParseFrom(bytes); }
        catch (InvalidProtocolBufferException e)
        {
            failure = Diagnostic.Create(OnnxDiagnostics.InvalidProtobuf, new ModelLocation(path, ""), e.Message);
            return null;
        }
    }
}
