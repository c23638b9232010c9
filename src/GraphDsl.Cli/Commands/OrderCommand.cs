using System.CommandLine;
using GraphDsl.Analysis;
using GraphDsl.Analysis.Annotations;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Loading;
using GraphDsl.Passes;
using GraphDsl.Pipeline;
using GraphDsl.Reports;

namespace GraphDsl.Cli.Commands;

/// <summary><c>graphdsl order MODEL [--budget-ms N] [--max-states N] [--json]</c>: finds the
/// execution order with the smallest activation peak and reports stored peak, found peak, lower
/// bound, whether the result is proven optimal, states explored and time. Runs the <c>order</c>
/// pass plugin through the pass manager.</summary>
public static class OrderCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("MODEL") { Description = "Model to order (.tflite, .onnx, .gdsl)." };
        var flags = new PassFlags("order");
        var budget = flags.Add<long>("budget-ms", "Time budget of the exact search in milliseconds.", OptionRules.AtLeast(0));
        var maxStates = flags.Add<long>("max-states", "Most search states kept in memory.", OptionRules.AtLeast(1));
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var dim = ModelInput.DimOption();
        var command = new Command("order", "Find the execution order with the minimum activation peak, with proof of optimality or the proven gap.")
        {
            model, budget, maxStates, json, dim,
        };
        command.SetAction(parse =>
            Run(parse.GetValue(model)!, parse.GetValue(dim), parse.GetValue(budget), parse.GetValue(maxStates), flags.Step(parse), parse.GetValue(json)));
        return command;
    }

    private static int Run(string path, string[]? dims, long? budgetMs, long? maxStates, string step, bool json)
    {
        var read = ModelInput.Load(path, dims);
        var printer = new DiagnosticPrinter(Console.Error);
        printer.Print(read.Diagnostics);
        if (!read.Succeeded) return 1;

        // The search runs as the `order` plugin under the pass manager, like any pipeline pass;
        // the command only reads back the annotations it wrote.
        var runner = new PipelineRunner
        {
            // The pass stops itself at its budget; the manager's limit is only a safety net.
            PassTimeout = TimeSpan.FromMilliseconds(budgetMs ?? 0) + PassManagerSettings.DefaultPassTimeout,
        };
        var run = runner.Run(read.Model!, read.Source,
            step, new ArtifactBuffer());
        if (run is null) return 1;
        if (!run.Succeeded) return PipelineRunner.ExitCode(run);
        var graph = run.Model.Main;
        if (OrderSearchAnnotation.Read(graph) is not { } figures)
        {
            Console.Error.WriteLine($"graphdsl: error: the order pass left no @{WellKnownAnnotations.OrderSearch} annotation");
            return 1;
        }
        var report = new OrderSearchReport(Path.GetFileName(path), figures, ExecutionOrder.Current(graph));
        Console.Out.Write(json ? report.Json() : report.Text());
        return 0;
    }
}
