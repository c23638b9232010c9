using System.CommandLine;
using System.Globalization;
using GraphDsl.Importers.Onnx;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Loading;

namespace GraphDsl.Cli;

/// <summary>How every command reads its model: through <see cref="ModelLoader"/>, with the
/// <c>--dim NAME=N</c> option that fixes symbolic ONNX dimensions (dynamic batch or image size),
/// so that a model with dynamic dims can be planned for the size the device will run.</summary>
public static class ModelInput
{
    public static readonly DiagnosticDescriptor BadDim = new("GD2217", Severity.Error,
        "--dim expects NAME=N with a positive integer N, got '{0}'");

    /// <summary>A new <c>--dim</c> option for one command (an option belongs to one command).</summary>
    public static Option<string[]> DimOption() => new("--dim")
    {
        Description = "Value of a symbolic ONNX dimension, NAME=N (repeatable), e.g. --dim batch=1.",
        AllowMultipleArgumentsPerToken = true,
        DefaultValueFactory = _ => [],
    };

    /// <summary>Reads <paramref name="path"/>; a malformed <c>--dim</c> is a GD2217 error.</summary>
    public static ReadResult Load(string path, IReadOnlyList<string>? dims)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in dims ?? [])
        {
            var eq = entry.LastIndexOf('=');
            if (eq <= 0 || !long.TryParse(entry[(eq + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
                return ReadResult.Failure(Diagnostic.Create(BadDim, null, entry));
            values[entry[..eq]] = value;
        }
        return ModelLoader.Load(path, new OnnxImportOptions { DimValues = values });
    }
}
