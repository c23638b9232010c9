using System.CommandLine;
using GraphDsl.Analysis.Annotations;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Loading;
using GraphDsl.Passes;
using GraphDsl.Pipeline;
using GraphDsl.Reports;

namespace GraphDsl.Cli.Commands;

/// <summary><c>graphdsl plan MODEL [--align 16] [--strategy auto] [--reuse all] [--budget-ms 1000] [--json]</c>:
/// plans the activation arena of the main graph in its current order and prints the arena, the
/// liveness peaks, TFLite Micro's greedy arena for comparison and what each reuse kind saves.</summary>
/// <remarks>Runs the pipeline <c>arena{reuse-savings=true,...},verify</c>: the flags are the arena
/// pass's options (their defaults are the pass's), and the output is rendered from the
/// <c>@arena_plan</c> the pass wrote (<see cref="ArenaPlanReport"/>).</remarks>
public static class PlanCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("MODEL") { Description = "Model to plan (.gdsl, .tflite, ...)." };
        var flags = new PassFlags("arena");
        var align = flags.Add<long>("align", "Buffer alignment in bytes.", OptionRules.PowerOfTwo);
        var strategy = flags.AddText("strategy", "Placement strategy (graphdsl passes lists them).");
        var reuse = flags.AddText("reuse", "Reuse kinds: all, none, views, inplace, concat, or joined by '+'.");
        var budget = flags.Add<long>("budget-ms", "CP-SAT time budget in milliseconds.", OptionRules.AtLeast(0));
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON." };
        var dim = ModelInput.DimOption();
        var command = new Command("plan", "Plan the activation arena and compare it with TFLite Micro's greedy planner.")
            { file, align, strategy, reuse, budget, json, dim };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var printer = new DiagnosticPrinter(Console.Error);
            var loaded = ModelInput.Load(path, parse.GetValue(dim));
            printer.Print(loaded.Diagnostics);
            if (!loaded.Succeeded) return 1;
            var pipeline = flags.Step(parse, ("reuse-savings", "true")) + ",verify";
            var run = new PipelineRunner().Run(loaded.Model!, loaded.Source, pipeline, new ArtifactBuffer());
            if (run is null) return 1;
            if (run.Status == PipelineStatus.Cancelled) return PipelineRunner.ExitCode(run);
            // A plan the verify pass refused is still shown (verify: FAILED), with exit code 1; when
            // the arena pass itself failed, an @arena_plan the input carried is not this run's.
            if (run.CompletedPasses == 0 || ArenaAnnotation.Read(run.Model.Main) is not { } plan)
            {
                if (run.Succeeded) Console.Error.WriteLine($"graphdsl: error: the arena pass left no complete @{WellKnownAnnotations.ArenaPlan} annotation");
                return 1;
            }
            var report = new ArenaPlanReport(Path.GetFileName(path), plan, run.Succeeded,
                TflmRunsModel: loaded.Source?.Format != ModelSource.Onnx);
            Console.Out.Write(parse.GetValue(json) ? report.Json() : report.Text());
            return run.Succeeded ? 0 : 1;
        });
        return command;
    }
}
