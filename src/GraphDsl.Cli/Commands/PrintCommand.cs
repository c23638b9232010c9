using System.CommandLine;
using GraphDsl.Ir;
using GraphDsl.Loading;

namespace GraphDsl.Cli.Commands;

/// <summary><c>graphdsl print FILE [-o OUT]</c>: reads a model and writes its canonical text to
/// stdout or, atomically, to OUT (never over the input file).</summary>
public static class PrintCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "Model to print (.gdsl)." };
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of stdout (atomically: temporary file, then rename)." };
        var dim = ModelInput.DimOption();
        var force = StagedOutputs.ForceOption();
        var command = new Command("print", "Print a model as canonical graph-language text.") { file, output, dim, force };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var outPath = parse.GetValue(output);
            if (!StagedOutputs.CheckExtension(outPath, "graph-language text", "text", ".gdsl")) return 1;
            var result = ModelInput.Load(path, parse.GetValue(dim));
            new DiagnosticPrinter(Console.Error).Print(result.Diagnostics);
            if (!result.Succeeded) return 1;
            var text = IrPrinter.Print(result.Model!);
            if (outPath is null)
            {
                Console.Out.Write(text);
                return 0;
            }
            var outputs = new StagedOutputs(path, parse.GetValue(force));
            outputs.Add(outPath, text);
            return outputs.Commit() ? 0 : 1;
        });
        return command;
    }
}
