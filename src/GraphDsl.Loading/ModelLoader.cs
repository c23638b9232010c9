using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Syntax;

namespace GraphDsl.Loading;

/// <summary>Reads a model file into the IR, choosing the front end by file extension, and runs
/// <see cref="IrVerifier"/> on what the front end built. Never throws on user input.</summary>
public static class ModelLoader
{
    public static readonly DiagnosticDescriptor FileNotFound = new("GD0101", Severity.Error, "cannot read '{0}': {1}");
    public static readonly DiagnosticDescriptor UnknownExtension = new("GD0102", Severity.Error, "'{0}' has an unsupported extension '{1}'; expected one of {2}");

    /// <summary>Extensions with a front end, for messages.</summary>
    public static IReadOnlyList<string> SupportedExtensions { get; } = [".gdsl", ".tflite", ".onnx"];

    public static ReadResult Load(string path) => Load(path, new GraphDsl.Importers.Onnx.OnnxImportOptions());

    /// <summary>As <see cref="Load(string)"/>, with <c>--dim NAME=N</c> arguments as the user typed
    /// them: a malformed one is GD2217, a name the model does not have GD2218 (only ONNX models
    /// have symbolic dimensions a --dim can set).</summary>
    public static ReadResult Load(string path, IReadOnlyList<string> dimArguments)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in dimArguments)
        {
            var eq = entry.LastIndexOf('=');
            if (eq <= 0 || !long.TryParse(entry[(eq + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) || value <= 0)
                return ReadResult.Failure(Diagnostic.Create(GraphDsl.Importers.Onnx.OnnxDiagnostics.BadDim, null, entry));
            values[entry[..eq]] = value;
        }
        if (values.Count > 0 && FormatOf(path) is { } format && format != ModelSource.Onnx)
            return ReadResult.Failure(Diagnostic.Create(GraphDsl.Importers.Onnx.OnnxDiagnostics.UnknownDim, new ModelLocation(path, ""),
                values.Keys.Order(StringComparer.Ordinal).First(), $"(none: --dim sets symbolic dimensions of ONNX models, and this is a {format} model)"));
        return Load(path, new GraphDsl.Importers.Onnx.OnnxImportOptions { DimValues = values });
    }

    /// <summary>As <see cref="Load(string)"/>, with the values of symbolic ONNX dimensions
    /// (<c>--dim batch=1</c>).</summary>
    public static ReadResult Load(string path, GraphDsl.Importers.Onnx.OnnxImportOptions onnxOptions)
    {
        if (Directory.Exists(path))
            return ReadResult.Failure(Diagnostic.Create(FileNotFound, new ModelLocation(path, ""), path, "it is a directory, not a file"));
        if (!File.Exists(path))
            return ReadResult.Failure(Diagnostic.Create(FileNotFound, new ModelLocation(path, ""), path, "no such file"));

        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (!Formats.TryGetValue(extension, out var format))
            return ReadResult.Failure(Diagnostic.Create(UnknownExtension, new ModelLocation(path, ""), path,
                extension.Length == 0 ? "(none)" : extension, string.Join(", ", SupportedExtensions)));
        // The file is read once; the front end and later lowering see the same bytes.
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return ReadResult.Failure(Diagnostic.Create(FileNotFound, new ModelLocation(path, ""), path, e.Message));
        }
        var result = format switch
        {
            ModelSource.Text => GraphDslSyntax.Parse(DecodeText(bytes), path),
            // Importers: one line per binary format.
            ModelSource.Tflite => GraphDsl.Importers.Tflite.TfliteImporter.Import(bytes, path),
            _ => GraphDsl.Importers.Onnx.OnnxImporter.Import(bytes, path, onnxOptions),
        };
        // A hand-written graph declares every shape, so they are checked against the operators'
        // rules; importers compute shapes from the file (or infer them).
        return Verified(result, checkShapes: format == ModelSource.Text) with { Source = new ModelSource(path, format, bytes) };
    }

    /// <summary>Front-end format by file extension.</summary>
    private static readonly IReadOnlyDictionary<string, string> Formats = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".gdsl"] = ModelSource.Text,
        [".tflite"] = ModelSource.Tflite,
        [".onnx"] = ModelSource.Onnx,
    };

    /// <summary>The format a path's extension names (<c>gdsl</c>, <c>tflite</c>, <c>onnx</c>), or null.</summary>
    public static string? FormatOf(string path) => Formats.GetValueOrDefault(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>UTF-8 text as File.ReadAllText decodes it (a byte-order mark is skipped).</summary>
    private static string DecodeText(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>A model written in the graph language held in memory (e.g. an embedded example),
    /// parsed and verified as a <c>.gdsl</c> file would be; <paramref name="name"/> names it in diagnostics.</summary>
    public static ReadResult FromText(string text, string name) => Verified(GraphDsl.Syntax.GraphDslSyntax.Parse(text, name), checkShapes: true);

    /// <summary>The front end's result with the verifier's findings added; the model is dropped
    /// when the verifier finds errors, so callers only ever see valid graphs.</summary>
    /// <param name="checkShapes">Also check declared output shapes (<see cref="TfliteShapeRules"/>,
    /// GD1112) once the structure is valid.</param>
    public static ReadResult Verified(ReadResult result, bool checkShapes = false)
    {
        if (result.Model is null) return result;
        var problems = IrVerifier.Verify(result.Model);
        if (checkShapes && problems.Count == 0) problems = TfliteShapeRules.Check(result.Model);
        if (problems.Count == 0) return result;
        var all = result.Diagnostics.Concat(problems).ToList();
        return new ReadResult(problems.Any(p => p.Severity == Severity.Error) ? null : result.Model, all);
    }

    /// <summary>The file's text, or null when it cannot be read. Also used by the diagnostic
    /// printer to show source lines.</summary>
    public static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return null;
        }
    }

}
