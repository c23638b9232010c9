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
        var model = new Argument<string>("MODEL") { Description = "The model file to read (.tflite, .onnx, .gdsl)." };
        var output = new Option<string?>("--output", "-o") { Description = "Write the text to this file (atomically: temporary file, then rename) instead of stdout." };
        var dims = ModelInput.DimOption();
        var force = StagedOutputs.ForceOption();
        var command = new Command("import", "Read a model file (.tflite, .onnx, .gdsl) and print it in the graph language.") { model, output, dims, force };
        command.SetAction(parse => Run(parse.GetValue(model)!, parse.GetValue(output), parse.GetValue(dims) ?? [], parse.GetValue(force)));
        return command;
    }

    private static int Run(string path, string? output, string[] dims, bool force)
    {
        if (!StagedOutputs.CheckExtension(output, "graph-language text", "text", ".gdsl")) return 1;
        var result = ModelInput.Load(path, dims);
        new DiagnosticPrinter(Console.Error).Print(result.Diagnostics);
        if (!result.Succeeded) return 1;
        var text = IrPrinter.Print(result.Model!);
        if (output is null)
        {
            Console.Out.Write(text);
            return 0;
        }
        var outputs = new StagedOutputs(path, force);
        outputs.Add(output, text);
        return outputs.Commit() ? 0 : 1;
    }
}
