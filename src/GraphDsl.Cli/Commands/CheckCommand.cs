using System.CommandLine;
using System.Globalization;
using GraphDsl.Ir;
using GraphDsl.Loading;

namespace GraphDsl.Cli.Commands;

/// <summary><c>graphdsl check FILE</c>: reads and verifies a model, then prints one summary line
/// of the main graph; exit code 1 with diagnostics on stderr when the model is invalid.</summary>
public static class CheckCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "Model to check (.gdsl)." };
        var dim = ModelInput.DimOption();
        var command = new Command("check", "Validate a model and print a one-line summary of its main graph.") { file, dim };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var result = ModelInput.Load(path, parse.GetValue(dim));
            var printer = new DiagnosticPrinter(Console.Error);
            printer.Print(result.Diagnostics);
            if (!result.Succeeded) return 1;
            if (!new PipelineRunner().WarnTflmCompatibility(result.Model!, result.Source)) return 1;
            // Named by the file the user gave (as every command's output is), not the graph inside it.
            Console.Out.WriteLine(Path.GetFileName(path) + ": " + Summary(result.Model!.Main));
            return 0;
        });
        return command;
    }

    /// <summary><c>graph 'main': 12 operators, 30 tensors, 14 activation tensors, 123,456 activation bytes,
    /// 4,567 constant bytes</c> (thousands separated, as in every table); a byte total is marked <c>+?</c> when some tensor has no known size.</summary>
    public static string Summary(Graph graph)
    {
        var activations = graph.Tensors.Where(t => t.IsActivation).ToList();
        var constants = graph.Tensors.Where(t => t.Kind == TensorKind.Constant).ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"graph {IrPrinter.Name(graph.Name)}: {graph.Operators.Count} operators, {graph.Tensors.Count} tensors, " +
            $"{activations.Count} activation tensors, {Bytes(activations)} activation bytes, {Bytes(constants)} constant bytes");
    }

    private static string Bytes(IReadOnlyList<Tensor> tensors)
    {
        var known = tensors.Sum(t => t.ByteSize ?? 0);
        return known.ToString("N0", CultureInfo.InvariantCulture) + (tensors.Any(t => t.ByteSize is null) ? "+?" : "");
    }
}
