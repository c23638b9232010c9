using System.CommandLine;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Loading;
using GraphDsl.Pipeline;

namespace GraphDsl.Cli.Commands;

/// <summary><c>graphdsl run MODEL --pipeline TEXT [-o OUT.gdsl]</c>: runs any pipeline, e.g.
/// <c>tmm,order,arena{align=16}</c>, printing the IR after passes on request and writing the
/// result (and any artifacts) only when every pass succeeded.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("MODEL") { Description = "Model to read (.gdsl, .tflite, ...)." };
        var pipeline = new Option<string>("--pipeline", "-p") { Description = "Passes to run, e.g. \"tmm,order,arena{align=16}\".", Required = true };
        var output = new Option<string?>("--output", "-o") { Description = "Write the resulting model as text to this file (atomically)." };
        var artifactsDir = new Option<string?>("--artifacts") { Description = "Write the files passes produce into this folder." };
        var printPipeline = new Option<bool>("--print-pipeline") { Description = "Print the pipeline as bound (with non-default options) to stderr." };
        var shared = new PipelineCommandOptions();
        var dim = ModelInput.DimOption();
        var force = StagedOutputs.ForceOption();
        var command = new Command("run", "Run a pass pipeline on a model.") { model, pipeline, output, artifactsDir, printPipeline, dim, force };
        shared.AddTo(command, withPrinting: true);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(model)!;
            if (!StagedOutputs.CheckExtension(parse.GetValue(output), "the resulting model", "graph-language text", ".gdsl")) return 1;
            var outputs = new StagedOutputs(path, parse.GetValue(force));
            var loaded = ModelInput.Load(path, parse.GetValue(dim));
            new DiagnosticPrinter(Console.Error).Print(loaded.Diagnostics);
            if (!loaded.Succeeded) return 1;

            var artifacts = new ArtifactBuffer();
            var run = shared.CreateRunner(parse).Run(loaded.Model!, loaded.Source, parse.GetValue(pipeline)!, artifacts,
                parse.GetValue(printPipeline) ? text => Console.Error.WriteLine($"graphdsl: pipeline {text}") : null,
                OptimizePipelines.Established(loaded.Model!));
            if (run is null) return 1;
            if (!run.Succeeded) return PipelineRunner.ExitCode(run);

            if (parse.GetValue(output) is { } outPath) outputs.Add(outPath, IrPrinter.Print(run.Model));
            if (parse.GetValue(artifactsDir) is { } dir)
            {
                if (CreateFolder(dir) is { } why)
                {
                    var bag = new DiagnosticBag();
                    bag.Report(OutputFiles.CannotWrite, null, dir, why);
                    new DiagnosticPrinter(Console.Error).Print(bag);
                    return 1;
                }
                foreach (var (name, bytes) in artifacts.Items)
                    outputs.Add(Path.Combine(dir, Path.GetFileName(name)), bytes);
            }
            else if (artifacts.Items.Count > 0)
                Console.Error.WriteLine($"graphdsl: {artifacts.Items.Count} artifact(s) produced ({string.Join(", ", artifacts.Items.Keys)}); use --artifacts DIR to write them");
            if (!outputs.Commit()) return 1;
            // On stderr: stdout may carry the printed passes (--print-after).
            foreach (var written in outputs.Paths) Console.Error.WriteLine($"graphdsl: wrote {written}");
            return 0;
        });
        return command;
    }

    /// <summary>Creates the --artifacts folder (and its parents); the reason it cannot, else null.</summary>
    private static string? CreateFolder(string dir)
    {
        if (File.Exists(dir)) return "--artifacts names a folder, and this is a file";
        try
        {
            Directory.CreateDirectory(dir);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return "the folder cannot be created: " + e.Message;
        }
    }
}
