using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GraphDsl.Analysis;
using GraphDsl.ArenaPlanning;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Loading;
using GraphDsl.Passes;
using GraphDsl.Tflm;

namespace GraphDsl.Cli.Commands;

/// <summary><c>graphdsl plan MODEL [--align 16] [--strategy auto] [--reuse all] [--budget-ms 1000] [--json]</c>:
/// plans the activation arena of the main graph in its current order and prints the arena, the
/// liveness peaks, TFLite Micro's greedy arena for comparison and what each reuse kind saves.</summary>
/// <remarks>Calls the planning library directly rather than the pipeline <c>arena{...},verify</c>,
/// because it also measures what each reuse kind alone saves (<see cref="ReuseSavings"/>), which
/// no pass records; its flags and their defaults are those of the arena pass.</remarks>
public static class PlanCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("MODEL") { Description = "Model to plan (.gdsl, .tflite, ...)." };
        var flags = new PassFlags("arena");
        var align = flags.Add<long>("align", "Buffer alignment in bytes.", OptionRules.PowerOfTwo);
        var strategy = flags.AddText("strategy", "Placement strategy: " + string.Join(", ", ArenaStrategies.Names) + ".");
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
            var bag = new DiagnosticBag();
            var location = new ModelLocation(path, loaded.Model!.Main.Name);
            // Unset flags keep ArenaPlanOptions' defaults, which the arena pass's descriptor also uses.
            var defaults = new ArenaPlanOptions();
            var reuseText = parse.GetValue(reuse) ?? ReuseKindsText.Format(defaults.Reuse);
            if (!ReuseKindsText.TryParse(reuseText, out var kinds))
                bag.Report(ArenaDiagnostics.UnknownReuse, location, reuseText, string.Join(", ", ReuseKindsText.KnownNames));
            var options = new ArenaPlanOptions(parse.GetValue(align) ?? defaults.Alignment, parse.GetValue(strategy) ?? defaults.Strategy,
                kinds, parse.GetValue(budget) ?? defaults.BudgetMilliseconds);
            var graph = loaded.Model.Main;
            // The activation view and TFLM's arena of the model as stored come from the analysis
            // cache, as the arena pass reads them.
            var analyses = new AnalysisCache();
            var plan = bag.HasErrors || analyses.Get<MemoryProblem>(loaded.Model, bag) is not { } planned ? null
                : ArenaPlanner.Plan(planned, null, options, bag, location, default, loaded.Model, analyses.Get<TflmArena>(loaded.Model, bag));
            if (plan is null)
            {
                printer.Print(bag);
                return 1;
            }
            var problem = MemoryProblem.Create(graph);
            var violations = ArenaPlanVerifier.Verify(problem, plan.Order, plan.ToLayout(problem.Size));
            printer.Print(violations);
            var savings = ReuseSavings.Measure(problem, plan.Order, options, ArenaStrategies.Create(options.Strategy, new ArenaStrategyOptions(options.BudgetMilliseconds))!);
            Console.Out.Write(parse.GetValue(json) ? Json(path, plan, savings, violations.Count == 0) : Text(path, plan, savings, violations.Count == 0));
            return violations.Count == 0 ? 0 : 1;
        });
        return command;
    }

    private static string Text(string path, ArenaPlan plan, ReuseSavings savings, bool verified)
    {
        var c = CultureInfo.InvariantCulture;
        string N(long v) => v.ToString("N0", c);
        var lines = new List<string>
        {
            $"{Path.GetFileName(path)}: arena {N(plan.ArenaBytes)} B ({plan.Strategy}{(plan.ProvenMinimal ? ", proven minimal for this order" : "")}), align {plan.Alignment}",
            $"  liveness peak {N(plan.PeakBytes)} B, in-place-adjusted peak {N(plan.AdjustedPeakBytes)} B, fragmentation {plan.Fragmentation.ToString("P1", c)}",
            $"  TFLite Micro greedy arena {N(plan.TflmGreedyArenaBytes)} B (tensors alone); verify: {(verified ? "ok" : "FAILED")}",
            plan.Tflm is { } tflm
                ? $"  TFLite Micro head (planned section): {N(tflm.Stored.HeadBytes)} B with its own plan, {N(tflm.Predicted.HeadBytes)} B with this plan ({tflm.OfflinePlan})"
                : "  TFLite Micro head: not predicted for this model",
        };
        if (plan.Tflm is { Predicted: var p })
        {
            lines.Add($"  TFLite Micro arena (kTensorArenaSize): {(p.TotalBytes is { } total ? N(total) : "?")} B with this plan = head {N(p.HeadBytes)} (activations {N(p.ActivationBytes)} + scratch {N(p.ScratchBytes)}) + persistent {(p.TailBytes is { } tail ? N(tail) : "?")} (64-bit host layout); TFLM {TflmCalibration.ShortCommit}"
                + (p.EstimateSummary is { } e ? $"; estimate: {e}" : ""));
        }
        lines.AddRange(new[]
        {
            "  reuse      arena B   adjusted peak B   saved B",
        });
        lines.AddRange(savings.Entries.Select(e =>
            $"  {ReuseKindsText.Format(e.Reuse),-8} {N(e.ArenaBytes),9} {N(e.AdjustedPeakBytes),17} {N(e.SavedBytes),9}"));
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }

    private static string Json(string path, ArenaPlan plan, ReuseSavings savings, bool verified)
    {
        var document = new Dictionary<string, object?>
        {
            ["model"] = Path.GetFileName(path),
            ["arena_bytes"] = plan.ArenaBytes,
            ["peak_bytes"] = plan.PeakBytes,
            ["adjusted_peak_bytes"] = plan.AdjustedPeakBytes,
            ["tflm_greedy_arena_bytes"] = plan.TflmGreedyArenaBytes,
            // TFLM's head for the model as planned (offline plan as it would be written) and TFLM's own plan.
            ["tflm_head_bytes"] = plan.Tflm?.Predicted.HeadBytes,
            ["tflm_arena_bytes"] = plan.Tflm?.Predicted.TotalBytes,
            ["tflm_breakdown"] = plan.Tflm is { } t ? new Dictionary<string, long?>
            {
                ["activation_bytes"] = t.Predicted.ActivationBytes, ["scratch_bytes"] = t.Predicted.ScratchBytes, ["persistent_bytes"] = t.Predicted.TailBytes,
            } : null,
            ["tflm_stored_head_bytes"] = plan.Tflm?.Stored.HeadBytes,
            ["tflm_stored_arena_bytes"] = plan.Tflm?.Stored.TotalBytes,
            ["tflm_estimate"] = plan.Tflm?.Predicted.EstimateSummary,
            ["tflm_commit"] = TflmCalibration.ShortCommit,
            ["strategy"] = plan.Strategy,
            ["proven_minimal"] = plan.ProvenMinimal,
            ["align"] = plan.Alignment,
            ["fragmentation"] = Math.Round(plan.Fragmentation, 6),
            ["reuse"] = ReuseKindsText.Format(plan.Reuse),
            ["verified"] = verified,
            ["reuse_savings"] = savings.Entries.ToDictionary(e => ReuseKindsText.Format(e.Reuse), e => new Dictionary<string, long>
            {
                ["arena_bytes"] = e.ArenaBytes, ["adjusted_peak_bytes"] = e.AdjustedPeakBytes, ["saved_bytes"] = e.SavedBytes,
            }),
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine;
    }
}
