using GraphDsl.Reports;
using GraphDsl.Analysis;
using GraphDsl.Importers.Onnx;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Loading;
using GraphDsl.Lowering;
using GraphDsl.Pipeline;
using GraphDsl.TestKit;
using GraphDsl.Reports.Html;

namespace GraphDsl.Fuzz;

/// <summary>One input through the whole <c>graphdsl optimize</c> job, in process, on the same
/// public pieces the command composes: <see cref="ModelLoader"/> (import + IR verifier), the
/// built-in pass plugins run as the CLI runs them (<see cref="PipelineHost"/>)
/// ("arena" on the stored order, then the default pipeline <c>tmm,order,tile,arena,verify,lower</c>), the lowering plan,
/// summary and HTML report, and finally a re-import of the model the <c>lower</c> pass wrote (and,
/// for a .gdsl, the <c>verify</c> pass on its written plan).</summary>
/// <remarks>The only difference from the CLI: the order search's time budget is
/// <see cref="OrderBudgetMs"/> instead of 10 s, so that an input whose search legitimately runs to
/// its budget still fits in the fuzzer's 10 s per-input limit; the budget itself is checked (a
/// search that overruns it is a timeout).</remarks>
public static class FuzzJob
{
    public const int OrderBudgetMs = 2000;

    /// <summary>Search budget of the tile pass under the fuzzer, like the order search's.</summary>
    public const int TileBudgetMs = 2000;

    /// <summary>The default optimize pipeline with the fuzzer's order and tile budgets.</summary>
    public static readonly string Pipeline = OptimizePipelines.Default
        .Replace("order", $"order{{budget-ms={OrderBudgetMs}}}")
        .Replace("tile", $"tile{{budget-ms={TileBudgetMs}}}");

    /// <summary>Diagnostics that report a fault of GraphDsl rather than of the input.</summary>
    private static readonly HashSet<string> FaultIds = [
        PipelineDiagnostics.PassThrew.Id, PipelineDiagnostics.ChangedWithoutNewInstance.Id,
        PipelineDiagnostics.VerificationFailed.Id, PipelineDiagnostics.PassTimedOut.Id,
        PipelineDiagnostics.PassCancelledOverBudget.Id];

    /// <summary>Loads the pass plugins now (once per process), so the first input is not charged for it.</summary>
    public static void Warm() => PipelineHost.RequirePasses("tmm", "order", "arena", "verify", "lower");

    /// <summary>GRAPHDSL_DEBUG=1 prints the time of each stage (with <c>--run FILE</c>).</summary>
    private static readonly bool Trace = Environment.GetEnvironmentVariable("GRAPHDSL_DEBUG") == "1";

    private static void Stage(System.Diagnostics.Stopwatch clock, string stage)
    {
        if (Trace) Console.Error.WriteLine($"  {clock.Elapsed.TotalMilliseconds,8:0} ms  {stage}");
    }

    /// <summary>Runs <paramref name="input"/> as a <paramref name="format"/> file written in
    /// <paramref name="workDir"/>. Exceptions are not caught here: the caller
    /// (<see cref="Watchdog"/>) turns them into <see cref="FailureKind.Exception"/>.</summary>
    public static Verdict Run(FuzzFormat format, byte[] input, string workDir)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var path = Path.Combine(workDir, "input" + format.Extension());
        File.WriteAllBytes(path, input);

        var read = ModelLoader.Load(path, new OnnxImportOptions());
        if (Judge("import", read.Diagnostics) is { } fault) return fault;
        if (!read.Succeeded) return Refused("import", read.Diagnostics);
        var model = read.Model!;
        Stage(clock, $"imported: {model.Main.Operators.Count} operators, {model.Main.Tensors.Count} tensors");

        // "before": arena on the stored order, as optimize does.
        var storedModel = OptimizePipelines.InStoredOrder(model);
        var stored = PipelineHost.Run(storedModel, path, OptimizePipelines.Stored);
        if (Judge("stored", stored.Diagnostics) is { } storedFault) return storedFault;
        if (!stored.Succeeded) return Refused("stored", stored.Diagnostics);

        Stage(clock, "stored order planned");
        var optimized = PipelineHost.Run(model, path, Pipeline);
        if (Judge("optimize", optimized.Diagnostics) is { } optimizeFault) return optimizeFault;
        if (!optimized.Succeeded) return Refused("optimize", optimized.Diagnostics);

        Stage(clock, "optimized");
        var bag = new DiagnosticBag();
        var plan = LoweringPlan.TryRead(optimized.Model!.Main, path, bag);
        if (plan is null)
            return Verdict.Failure(FailureKind.BadOutput, "plan", "the pipeline succeeded but its plan does not read back: " + FirstError(bag.ToList()));
        var summary = OptimizationSummary.Compute(Path.GetFileName(path), stored.Model!.Main, plan.Graph);
        _ = OptimizationSummaryJson.Render(summary);
        _ = OptimizationSummaryText.Table(summary);
        _ = HtmlReport.Render(summary, stored.Model!.Main, plan);

        if (!optimized.Artifacts.TryGetValue(format.Artifact(), out var written))
            return Verdict.Failure(FailureKind.BadOutput, "lower", $"the lower pass wrote no {format.Artifact()}");
        if (!optimized.Artifacts.ContainsKey("model.h"))
            return Verdict.Failure(FailureKind.BadOutput, "lower", "the lower pass wrote no model.h");
        // Compared with the graph the pipeline lowered: a transform (tile) adds and removes operators.
        return Reimport(format, written, optimized.Model!, workDir);
    }

    /// <summary>What optimize wrote must import, pass the IR verifier, keep the operators of the
    /// graph the pipeline lowered, and (a planned .gdsl) pass the verify pass on its own plan.</summary>
    private static Verdict Reimport(FuzzFormat format, byte[] written, Model original, string workDir)
    {
        var outPath = Path.Combine(workDir, "output" + format.Extension());
        File.WriteAllBytes(outPath, written);
        var again = ModelLoader.Load(outPath, new OnnxImportOptions());
        if (!again.Succeeded)
            return Verdict.Failure(FailureKind.BadOutput, "reimport", "the written model does not re-import: " + FirstError(again.Diagnostics));
        var before = original.Main.Operators.Select(o => o.OpType).Order(StringComparer.Ordinal);
        var after = again.Model!.Main.Operators.Select(o => o.OpType).Order(StringComparer.Ordinal);
        if (!before.SequenceEqual(after))
            return Verdict.Failure(FailureKind.BadOutput, "reimport", "the written model has other operators than the input");
        if (format == FuzzFormat.Gdsl)
        {
            var verify = PipelineHost.Run(again.Model!, outPath, "verify");
            if (!verify.Succeeded)
                return Verdict.Failure(FailureKind.BadOutput, "reverify", "the written plan does not verify: " + FirstError(verify.Diagnostics));
        }
        return Verdict.Accepted();
    }

    /// <summary>A failure verdict when <paramref name="diagnostics"/> report a GraphDsl fault.</summary>
    private static Verdict? Judge(string stage, IReadOnlyList<Diagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            if (FaultIds.Contains(d.Id))
                return Verdict.Failure(d.Id == PipelineDiagnostics.PassTimedOut.Id || d.Id == PipelineDiagnostics.PassCancelledOverBudget.Id
                    ? FailureKind.Timeout : FailureKind.InternalError, stage, $"{d.Id}: {d.Message}");
            if (d.Message.Contains("internal error", StringComparison.OrdinalIgnoreCase))
                return Verdict.Failure(FailureKind.InternalError, stage, $"{d.Id}: {d.Message}");
        }
        return null;
    }

    /// <summary>A refusal must say why: one error diagnostic at least, else it is a fault.</summary>
    private static Verdict Refused(string stage, IReadOnlyList<Diagnostic> diagnostics) =>
        diagnostics.Any(d => d.Severity == Severity.Error)
            ? Verdict.Rejected(stage, FirstError(diagnostics))
            : Verdict.Failure(FailureKind.InternalError, stage, "refused without an error diagnostic");

    private static string FirstError(IReadOnlyList<Diagnostic> diagnostics) =>
        diagnostics.FirstOrDefault(d => d.Severity == Severity.Error) is { } e ? $"{e.Id}: {e.Message}" : "(no error diagnostic)";
}
