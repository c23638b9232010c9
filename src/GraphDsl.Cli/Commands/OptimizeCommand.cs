using System.CommandLine;
using System.Reflection;
using System.Text;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Loading;
using GraphDsl.Analysis;
using GraphDsl.Reports;
using GraphDsl.Pipeline;
using GraphDsl.Reports.Html;

namespace GraphDsl.Cli.Commands;

/// <summary><c>graphdsl optimize [MODEL] [-o OUT] [--report R.html] [--header H.h] [--json]
/// [--pipeline P] [--force]</c>: the one-command job. Runs the pipeline, then writes the model in
/// its own format with the optimized order and arena plan, and optionally a C header and an HTML
/// report; prints the before/after table (or JSON).</summary>
/// <remarks>
/// Stages: 1. read the model (or the embedded default); 2. check the output paths before any
/// work; 3. "before": the <c>arena</c> pass on the stored order; 4. "after": the pipeline, whose
/// <c>lower</c> pass offers the artifacts; 5. write every requested file atomically, all or none,
/// and only when everything above succeeded. The input file is never written.
/// </remarks>
public static class OptimizeCommand
{
    /// <summary>What runs when no MODEL is given: examples/inception.gdsl, embedded in the CLI.</summary>
    public const string DefaultModelName = "examples/inception_exported.gdsl";

    private const string DefaultModelResource = "GraphDsl.Cli.DefaultModel.gdsl";

    public static Command Create()
    {
        var model = new Argument<string?>("MODEL")
        {
            Description = "Model to optimize (.tflite, .onnx or .gdsl); default: the embedded " + DefaultModelName + ".",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var output = new Option<string?>("--output", "-o") { Description = "Write the optimized model here (same format as MODEL)." };
        var report = new Option<string?>("--report") { Description = "Write a self-contained HTML report here." };
        var header = new Option<string?>("--header") { Description = "Write a C header with the arena plan and schedule here." };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON instead of a table." };
        var pipeline = new Option<string>("--pipeline") { Description = "Passes to run.", DefaultValueFactory = _ => OptimizePipelines.Default };
        var force = StagedOutputs.ForceOption();
        var dim = ModelInput.DimOption();
        var command = new Command("optimize", "Reorder operators and plan the arena for the smallest SRAM peak; write the optimized model.")
        {
            model, output, report, header, json, pipeline, force, dim,
        };
        command.SetAction(parse => Run(new Request(
            parse.GetValue(model), parse.GetValue(output), parse.GetValue(report), parse.GetValue(header),
            parse.GetValue(json), parse.GetValue(pipeline) ?? OptimizePipelines.Default, parse.GetValue(force), parse.GetValue(dim) ?? [])));
        return command;
    }

    private sealed record Request(string? Model, string? Output, string? Report, string? Header, bool Json, string Pipeline, bool Force, string[] Dims);

    private static int Run(Request request)
    {
        var printer = new DiagnosticPrinter(Console.Error);
        var read = request.Model is null ? ReadDefaultModel() : ModelInput.Load(request.Model, request.Dims);
        printer.Print(read.Diagnostics);
        if (!read.Succeeded) return 1;
        var model = read.Model!;
        // One runner for every pipeline of this command: plugins load once, progress and Ctrl+C as in `run`.
        var runner = new PipelineRunner();
        if (!runner.WarnTflmCompatibility(model, read.Source)) return 1;  // before flashing: what TFLM will refuse
        // -o gets the model in its own format (lowering rewrites the source), so its name must say so.
        var format = read.Source?.Format ?? ModelSource.Text;
        if (!StagedOutputs.CheckExtension(request.Output, "the optimized model", $"{format} (the input's format)", "." + format)
            || !StagedOutputs.CheckExtension(request.Header, "the C header", "C", ".h")
            || !StagedOutputs.CheckExtension(request.Report, "the report", "HTML", ".html", ".htm"))
            return 1;
        // The header's offsets and schedule belong to the optimized (possibly tiled) model: with a
        // .tflite or .onnx input, deploying the original file with them would be wrong.
        if (request.Header is not null && request.Output is null && format != ModelSource.Text)
        {
            var missing = new DiagnosticBag();
            missing.Report(OutputFiles.HeaderWithoutModel, null, request.Header, "." + format);
            return Fail(printer, missing);
        }
        var label = request.Model is null ? "embedded default model " + DefaultModelName : Path.GetFileName(request.Model);
        var inputs = request.Model is null ? Array.Empty<string>() : [request.Model];

        // Refuse bad destinations before spending time on the search.
        var diagnostics = new DiagnosticBag();
        var destinations = new OutputFiles();
        foreach (var path in new[] { request.Output, request.Report, request.Header }.OfType<string>()) destinations.Add(path, default);
        if (!destinations.Check(inputs, request.Force, diagnostics)) return Fail(printer, diagnostics);

        var storedModel = OptimizePipelines.InStoredOrder(model);
        var storedRun = runner.Run(storedModel, read.Source, OptimizePipelines.Stored, new ArtifactBuffer(),
            established: OptimizePipelines.Established(storedModel), label: "stored order");
        if (storedRun is not { Succeeded: true }) return Failed(storedRun, printer, diagnostics);
        var stored = storedRun.Model;
        var artifacts = new ArtifactBuffer();
        // What this command reads from the pipeline's result: a missing piece is named before any pass runs.
        var goals = new List<(string, string)>
        {
            ("order", "optimize reads the execution order from it"),
            ("arena", "optimize reads the arena plan from it"),
            ("verified", "optimize reports and writes only a verified plan"),
        };
        if (request.Output is not null || request.Header is not null) goals.Add(("lowered", "-o and --header write what it produces"));
        var optimizedRun = runner.Run(model, read.Source, request.Pipeline, artifacts,
            established: OptimizePipelines.Established(model), goals: goals);
        if (optimizedRun is not { Succeeded: true }) return Failed(optimizedRun, printer, diagnostics);
        var optimized = optimizedRun.Model;
        // The verify pass (a goal above) checked the plan, so its figures read back.
        var summary = OptimizationSummary.Compute(label, stored.Main, optimized.Main, tflmRunsModel: format != ModelSource.Onnx);

        var files = new OutputFiles();
        if (request.Output is not null)
        {
            var name = ArtifactFor(format);
            if (!artifacts.Items.TryGetValue(name, out var bytes))
                diagnostics.Report(PipelineDiagnostics.NoArtifact, null, request.Pipeline, name, label);
            else files.Add(request.Output, bytes);
        }
        if (request.Header is not null)
        {
            if (!artifacts.Items.TryGetValue("model.h", out var bytes))
                diagnostics.Report(PipelineDiagnostics.NoArtifact, null, request.Pipeline, "model.h", label);
            else files.Add(request.Header, bytes);
        }
        if (request.Report is not null && HtmlReport.Render(summary, stored.Main, optimized.Main, diagnostics) is { } html)
            files.Add(request.Report, Encoding.UTF8.GetBytes(html));
        if (diagnostics.HasErrors || !files.Check(inputs, request.Force, diagnostics) || !files.Commit(diagnostics))
            return Fail(printer, diagnostics);
        printer.Print(diagnostics);

        if (request.Json)
        {
            Console.Out.WriteLine(OptimizationSummaryJson.Render(summary));
            return 0;
        }
        Console.Out.Write(OptimizationSummaryText.Render(summary, request.Pipeline));
        foreach (var path in files.Paths) Console.Out.WriteLine($"wrote {path}");
        return 0;
    }

    /// <summary>Exit code of a pipeline that did not succeed (its diagnostics are printed by the
    /// runner): 130 when cancelled, else 1 with the failure message.</summary>
    private static int Failed(PipelineRun? run, DiagnosticPrinter printer, DiagnosticBag diagnostics) =>
        run is { Status: PipelineStatus.Cancelled } ? PipelineRunner.ExitCode(run) : Fail(printer, diagnostics);

    /// <summary>The artifact of the lower pass that holds the model in the input's format.</summary>
    private static string ArtifactFor(string format) => "model." + format;

    private static ReadResult ReadDefaultModel()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(DefaultModelResource)
            ?? throw new InvalidOperationException("The embedded default model is missing from this build.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return ModelLoader.FromText(reader.ReadToEnd(), DefaultModelName);
    }

    private static int Fail(DiagnosticPrinter printer, DiagnosticBag diagnostics)
    {
        printer.Print(diagnostics);
        Console.Error.WriteLine("graphdsl: optimize failed; no output was written.");
        return 1;
    }
}
