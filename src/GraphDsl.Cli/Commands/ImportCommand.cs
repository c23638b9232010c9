using System.CommandLine;
using GraphDsl.Importers.Onnx;
using GraphDsl.Loading;
using GraphDsl.Ir;

namespace GraphDsl.Cli.Commands;

/// <summary><c>graphdsl import MODEL.tflite [-o OUT.gdsl]</c>: reads a model and prints it in the
/// graph language, to stdout or atomically to a file.</summary>
public static class ImportCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "The model file to read (.tflite, .onnx, .gdsl)." };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the text here (atomically) instead of to stdout." };
        var dims = new Option<string[]>("--dim")
        {
            Description = "Value of a symbolic ONNX dimension, NAME=N (repeatable), e.g. --dim batch=1.",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("import", "Read a model file and print it in the graph language.") { model, output, dims };
        command.SetAction(parse => Run(parse.GetValue(model)!, parse.GetValue(output), parse.GetValue(dims) ?? []));
        return command;
    }

    private static int Run(FileInfo model, FileInfo? output, string[] dims)
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
        var result = ModelLoader.Load(model.ToString(), new OnnxImportOptions { DimValues = dimValues });
        foreach (var d in result.Diagnostics) Console.Error.WriteLine(d.ToString());
        if (!result.Succeeded) return 1;

        var text = IrPrinter.Print(result.Model!);
        if (output is null)
        {
            Console.Out.Write(text);
            return 0;
        }
        if (string.Equals(Path.GetFullPath(output.FullName), Path.GetFullPath(model.FullName), StringComparison.Ordinal))
        {
            Console.Error.WriteLine($"{output}: error GD2107: the output would overwrite the input model; choose another -o path");
            return 1;
        }
        return WriteAtomically(output.FullName, text);
    }

    /// <summary>Writes to a temporary file beside the target, then renames it over the target, so a
    /// reader never sees a half-written file and a failure leaves the old file intact.</summary>
    private static int WriteAtomically(string path, string text)
    {
        var temp = Path.Combine(Path.GetDirectoryName(path) ?? ".", "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            File.WriteAllText(temp, text);
            File.Move(temp, path, overwrite: true);
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{path}: error GD2108: cannot write the output: {e.Message}");
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            return 1;
        }
    }
}
