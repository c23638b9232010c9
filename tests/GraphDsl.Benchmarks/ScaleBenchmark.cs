using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GraphDsl.Analysis;
using GraphDsl.Scheduling;
using GraphDsl.TestKit.Generators;

namespace GraphDsl.Benchmarks;

/// <summary>The scale section: the order search on generated Inception-like, DenseNet-like and
/// random-wired graphs of growing size, each case in a child process of this program so that the
/// peak working set belongs to that case alone.</summary>
internal static class ScaleBenchmark
{
    /// <summary>Hidden argument that makes this program run one case and print it as JSON.</summary>
    public const string ChildSwitch = "--scale-case";

    public const int Seed = 1;

    public static IReadOnlyList<ScaleRow> RunAll(BenchmarkSettings settings, Action<ScaleRow> report)
    {
        var rows = new List<ScaleRow>();
        foreach (var kind in BranchedGraphGenerator.Kinds)
            foreach (var size in settings.ScaleSizes)
            {
                var row = RunChild(kind, size, settings);
                report(row);
                rows.Add(row);
            }
        return rows;
    }

    private static ScaleRow RunChild(string kind, int size, BenchmarkSettings settings)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // Under `dotnet GraphDsl.Benchmarks.dll` the process is the host: pass the assembly again.
        var self = Environment.ProcessPath ?? "dotnet";
        start.FileName = self;
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(ScaleBenchmark).Assembly.Location);
        foreach (var a in new[] { ChildSwitch, kind, I(size), I((int)settings.OrderBudget.TotalSeconds), I(settings.ScaleRuns) })
            start.ArgumentList.Add(a);
        using var child = Process.Start(start);
        if (child is null) return ScaleRow.Failed(kind, size, "could not start the child process");
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        // Budget per run, the warm-up and the graph build; a hung child is killed.
        var limit = settings.OrderBudget * (settings.ScaleRuns + 2) + TimeSpan.FromSeconds(60);
        if (!child.WaitForExit(limit))
        {
            child.Kill(entireProcessTree: true);
            return ScaleRow.Failed(kind, size, $"child process exceeded {limit.TotalSeconds:0} s and was stopped");
        }
        var output = stdout.Result.Trim();
        if (child.ExitCode != 0 || output.Length == 0)
            return ScaleRow.Failed(kind, size, $"child exit code {child.ExitCode}: {FirstLine(stderr.Result)}");
        return JsonSerializer.Deserialize<ScaleRow>(output.Split('\n')[^1]) ?? ScaleRow.Failed(kind, size, "unreadable child output");
    }

    /// <summary>Runs one case in this process and prints it as one JSON line: a warm-up search on
    /// a small graph of the same kind (JIT), then the timed searches.</summary>
    public static int RunCase(IReadOnlyList<string> args)
    {
        if (args.Count != 4 || !int.TryParse(args[1], out int size) || !int.TryParse(args[2], out int budgetSeconds)
            || !int.TryParse(args[3], out int runs) || !BranchedGraphGenerator.Kinds.Contains(args[0]))
        {
            Console.Error.WriteLine($"usage: {ChildSwitch} KIND OPERATORS BUDGET_S RUNS");
            return 1;
        }
        string kind = args[0];
        ScaleRow row;
        try
        {
            var options = new OrderSearchOptions { TimeBudget = TimeSpan.FromSeconds(budgetSeconds) };
            OrderSearch.Run(MemoryProblem.Create(BranchedGraphGenerator.Create(kind, 40, Seed)), options);
            var graph = BranchedGraphGenerator.Create(kind, size, Seed);
            var problem = MemoryProblem.Create(graph);
            long baseline = Process.GetCurrentProcess().WorkingSet64;
            var times = new List<double>();
            OrderSearchResult result;
            var clock = Stopwatch.StartNew();
            do
            {
                clock.Restart();
                result = OrderSearch.Run(problem, options);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            // One run is enough when it used the budget: repeating it only repeats the budget.
            while (result.ProvenOptimal && times.Count < runs);
            using var self = Process.GetCurrentProcess();
            self.Refresh();
            row = new ScaleRow(kind, size, graph.Operators.Count, problem.TensorCount, result.StoredPeakBytes, result.PeakBytes,
                result.LowerBoundBytes, result.ProvenOptimal, result.Outcome.ToString(), result.States, times.ToArray(),
                baseline, self.PeakWorkingSet64);
        }
        catch (Exception e)
        {
            row = ScaleRow.Failed(kind, size, $"{e.GetType().Name}: {e.Message}");
        }
        Console.Out.WriteLine(JsonSerializer.Serialize(row));
        return 0;
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string FirstLine(string text) => text.Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "(no output)";
}
