using GraphDsl.Ir;

namespace GraphDsl.Analysis;

/// <summary>Bytes an activation takes in the arena of the target runtime, TensorFlow Lite Micro:
/// element count times its element size (<c>TfLiteTypeSizeOf</c> in
/// <c>tensorflow/lite/micro/memory_helpers.cc</c>), which is not always the packed size of the
/// type: int4 activations take one byte per element, a resource handle four bytes.</summary>
/// <remarks>Constant data keeps its packed size (<see cref="TensorType.ByteSize"/>): only arena
/// tensors are sized here. Types TFLite Micro does not know (ONNX's 8- and 4-bit floats, uint4)
/// take whole bytes per element as well.</remarks>
public static class RuntimeTensorBytes
{
    /// <summary>Arena bytes of one tensor, or null when it has none (see <see cref="WhyUnsized"/>).</summary>
    public static long? Of(TensorType type)
    {
        int bits = type.ElementType.BitsPerElement();
        if (bits == 0 || type.Shape.ElementCount is not { } count) return null;
        return checked(count * ((bits + 7) / 8));
    }

    /// <summary>Why <see cref="Of"/> is null for this type, in words for a diagnostic; null when it is not.</summary>
    public static string? WhyUnsized(TensorType type) => type switch
    {
        { ElementType: DataType.String } =>
            $"{IrPrinter.Type(type)} is a string tensor, whose bytes depend on the strings it holds; TensorFlow Lite Micro has no string tensors and GraphDsl plans only fixed-size ones",
        _ when type.ElementType.BitsPerElement() == 0 =>
            $"element type {type.ElementType.ToText()} has no fixed size",
        { Shape.ElementCount: null } =>
            $"{IrPrinter.Type(type)} has unknown dimensions; give them with --dim NAME=N or a static shape",
        _ => null,
    };
}
