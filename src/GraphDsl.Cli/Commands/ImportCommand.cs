using System.CommandLine;
using GraphDsl.Ir;
using GraphDsl.Loading;

namespace GraphDsl.Cli.Commands;

/// <summary><c>graphdsl import MODEL.tflite [-o OUT.gdsl]</c>: reads a binary model (through
/// <see cref="ModelLoader"/>, which picks the importer by extension and verifies the IR) and
/// prints it in the graph language, to stdout or atomically to a file.</summary>
public static class ImportCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("MODEL") { Description = "The model file to read (.tflite)." };
        var output = new Option<string?>("--output", "-o") { Description = "Write the text to this file (atomically: temporary file, then rename) instead of stdout." };
        var dims = new Option<string[]>("--dim")
        {
            Description = "Value of a symbolic ONNX dimension, NAME=N (repeatable), e.g. --dim batch=1.",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("import", "Read a model file (.tflite, .onnx, .gdsl) and print it in the graph language.") { model, output, dims };
        command.SetAction(parse => Run(parse.GetValue(model)!, parse.GetValue(output), parse.GetValue(dims) ?? []));
        return command;
    }

    private static int Run(string path, string? output, string[] dims)
    {
        var dimValues = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in dims)
        {
            var eq = entry.LastIndexOf('=');
            if (eq <= 0 || !long.TryParse(entry[(eq + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                Console.Error.WriteLine($"graphdsl: error GD2217: --dim expects NAME=N with a positive integer N, got '{entry}'");
                return 1;
            }
            dimValues[entry[..eq]] = value;
        }
        var result = ModelLoader.Load(path, new GraphDsl.Importers.Onnx.OnnxImportOptions { DimValues = dimValues });
        new DiagnosticPrinter(Console.Error).Print(result.Diagnostics);
        if (!result.Succeeded) return 1;
        var text = IrPrinter.Print(result.Model!);
        if (output is null)
        {
            Console.Out.Write(text);
            return 0;
        }
        var outputs = new StagedOutputs(path);
        outputs.Add(output, text);
        return outputs.Commit() ? 0 : 1;
    }
}
