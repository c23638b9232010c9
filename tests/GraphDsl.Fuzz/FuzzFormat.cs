namespace GraphDsl.Fuzz;

/// <summary>The three front doors of GraphDsl, by the file extension that selects them.</summary>
public enum FuzzFormat { Tflite, Onnx, Gdsl }

public static class FuzzFormats
{
    public static readonly FuzzFormat[] All = [FuzzFormat.Tflite, FuzzFormat.Onnx, FuzzFormat.Gdsl];

    /// <summary>".tflite", ".onnx" or ".gdsl": what <c>ModelLoader</c> dispatches on.</summary>
    public static string Extension(this FuzzFormat format) => format switch
    {
        FuzzFormat.Tflite => ".tflite",
        FuzzFormat.Onnx => ".onnx",
        _ => ".gdsl",
    };

    /// <summary>The name of the <c>lower</c> pass artifact that holds the model in its own format
    /// (what <c>optimize -o</c> writes).</summary>
    public static string Artifact(this FuzzFormat format) => "model" + format.Extension();

    public static FuzzFormat Parse(string text) => text.Trim().TrimStart('.').ToLowerInvariant() switch
    {
        "tflite" => FuzzFormat.Tflite,
        "onnx" => FuzzFormat.Onnx,
        "gdsl" => FuzzFormat.Gdsl,
        _ => throw new ArgumentException($"unknown format '{text}'; expected tflite, onnx or gdsl"),
    };
}
