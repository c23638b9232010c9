using GraphDsl.Analysis;
using GraphDsl.ArenaPlanning;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Loading;
using GraphDsl.Scheduling;
using GraphDsl.TestKit;

namespace GraphDsl.Benchmarks;

/// <summary>Measures every model of a folder: import, exact order search, arena planning under
/// the stored and the optimized order, reuse savings and the verifier.</summary>
/// <remarks>A model that fails at some stage becomes a row carrying the error, so one bad file
/// never stops the benchmark. Each timed stage runs once as warm-up and then
/// <see cref="BenchmarkSettings.Runs"/> times (once when the warm-up was slow).</remarks>
internal static class CorpusBenchmark
{
    public static readonly string[] Extensions = [".tflite", ".onnx", ".gdsl"];

    // A warm-up slower than this (JIT included) gets a single timed run, so a model that hits a budget costs
    // two runs, not six.
    private const double SlowMilliseconds = 5000;

    public static IReadOnlyList<string> ModelFiles(string folder) =>
        Directory.EnumerateFiles(folder)
            .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .ToArray();

    public static CorpusRow Measure(string path, BenchmarkSettings settings)
    {
        var row = new CorpusRow(Path.GetFileName(path)) { FileBytes = new FileInfo(path).Length };
        string stage = "import";
        try
        {
            // Dynamic dims at a realistic size (TestKit RealisticDims), found before the timed imports.
            var (dims, why) = RealisticDims.For(path);
            var (loaded, importTime) = TimingSample.Measure(() => ModelLoader.Load(path, dims), settings.Runs, SlowMilliseconds);
            row = row with { ImportTime = importTime, Dims = dims, DimsWhy = why };
            if (!loaded.Succeeded)
                return row with { Error = "import: " + FirstError(loaded.Diagnostics) };
            var graph = loaded.Model!.Main;
            row = row with
            {
                Operators = graph.Operators.Count,
                AssumedDims = (graph.Attributes[WellKnownAttributes.AssumedDims] as AttributeValue.List)?.Items
                    .OfType<AttributeValue.Str>().Select(s => s.Value).ToArray() ?? [],
            };

            stage = "memory view";
            var problem = MemoryProblem.TryCreate(graph, out var unsized);
            if (problem is null)
                return row with { Error = $"memory view: {unsized.Count} activation(s) without a known size, e.g. '{unsized[0].Name}'" };
            row = row with { Activations = problem.TensorCount };

            stage = "order search";
            var orderOptions = new OrderSearchOptions { TimeBudget = settings.OrderBudget };
            var (search, orderTime) = TimingSample.Measure(() => OrderSearch.Run(problem, orderOptions), settings.Runs, SlowMilliseconds);
            row = row with
            {
                LowerBound = search.ProvenLowerBoundBytes,
                StoredPeak = search.StoredPeakBytes,
                OptimizedPeak = search.PeakBytes,
                ProvenOptimal = search.ProvenOptimal,
                OrderOutcome = search.Outcome.ToString(),
                OrderTime = orderTime,
            };
            if (search.Outcome == OrderSearchOutcome.Cyclic)
                return row with { Error = "order search: the operators form a cycle" };

            stage = "arena planning";
            var arenaOptions = new ArenaPlanOptions(BudgetMilliseconds: settings.ArenaBudgetMilliseconds);
            var strategy = ArenaStrategies.Create(arenaOptions.Strategy, new ArenaStrategyOptions(arenaOptions.BudgetMilliseconds))!;
            var stored = ExecutionOrder.Stored(graph);
            var storedCheck = Check("stored", problem, stored, arenaOptions, strategy);
            var (optimizedPlan, arenaTime) = TimingSample.Measure(() => ArenaPlanner.Plan(problem, search.Order, arenaOptions, strategy), settings.Runs, SlowMilliseconds);
            var optimizedCheck = Check("optimized", problem, search.Order, arenaOptions, strategy, optimizedPlan);
            return row with
            {
                GreedyArenaStored = storedCheck.GreedyArena,
                OptimizedArena = optimizedCheck.Arena,
                InPlaceSaved = optimizedCheck.InPlaceSaved,
                ViewsSaved = optimizedCheck.ViewsSaved,
                ConcatSaved = optimizedCheck.ConcatSaved,
                ArenaTime = arenaTime,
                Checks = [storedCheck, optimizedCheck],
            };
        }
        catch (Exception e)
        {
            // The benchmark must outlive a library bug on one model: the row records it instead.
            return row with { Error = $"{stage}: {e.GetType().Name}: {e.Message}" };
        }
    }

    private static ArenaCheck Check(string name, MemoryProblem problem, IReadOnlyList<int> order, ArenaPlanOptions options,
        IArenaStrategy strategy, ArenaPlan? plan = null)
    {
        plan ??= ArenaPlanner.Plan(problem, order, options, strategy);
        var findings = ArenaPlanVerifier.Verify(problem, order, plan.ToLayout(problem.Size));
        var savings = ReuseSavings.Measure(problem, order, options, strategy);
        long Saved(ReuseKinds kind) => savings.Entries.First(e => e.Reuse == kind).SavedBytes;
        // The baseline is TFLM's own plan of the input model (tensors and kernel scratch buffers, as
        // GraphDsl.Tflm predicts it): what the user has without GraphDsl, and the bound optimize keeps.
        return new ArenaCheck(name, plan.Tflm?.Stored.HeadBytes ?? plan.TflmGreedyArenaBytes, plan.ArenaBytes, plan.AdjustedPeakBytes, plan.PeakBytes,
            plan.Strategy, Saved(ReuseKinds.InPlace), Saved(ReuseKinds.Views), Saved(ReuseKinds.Concat), Saved(ReuseKinds.All),
            findings.Count, findings.FirstOrDefault()?.ToString());
    }

    private static string FirstError(IReadOnlyList<Diagnostic> diagnostics) =>
        diagnostics.FirstOrDefault(d => d.Severity == Severity.Error)?.ToString() ?? "no model and no error reported";
}
