using GraphDsl.Reports;
using GraphDsl.Analysis;
using System.Text.Json;
using GraphDsl.Ir;
using GraphDsl.Loading;
using GraphDsl.TestKit;
using Xunit;

namespace GraphDsl.Lowering.Tests;

/// <summary>The two bounds have two names in every output: the largest single-operator footprint
/// (tmm, optimize) and the order search's proven lower bound (order, optimize, header, report).
/// On the embedded Inception example they differ, and both are checked against brute force.</summary>
public sealed class BoundNamesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("graphdsl-bounds-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    /// <summary>Every topological order of <paramref name="g"/> (small graphs only).</summary>
    private static IEnumerable<int[]> TopologicalOrders(Graph g)
    {
        int n = g.Operators.Count;
        var producer = g.Tensors.Select(t => t.Name).ToDictionary(t => t, t => Enumerable.Range(0, n).FirstOrDefault(k => g.Operators[k].Outputs.Contains(t), -1));
        var needs = Enumerable.Range(0, n).Select(k => g.Operators[k].PresentInputs.Select(i => producer[i]).Where(p => p >= 0).ToHashSet()).ToArray();
        IEnumerable<int[]> Extend(List<int> prefix)
        {
            if (prefix.Count == n) { yield return prefix.ToArray(); yield break; }
            for (int k = 0; k < n; k++)
            {
                if (prefix.Contains(k) || !needs[k].All(prefix.Contains)) continue;
                prefix.Add(k);
                foreach (var o in Extend(prefix)) yield return o;
                prefix.RemoveAt(prefix.Count - 1);
            }
        }
        return Extend([]);
    }

    [SkippableFact]
    public void Each_bound_has_its_own_name_and_the_brute_force_value()
    {
        PipelineHost.RequirePasses("tmm", "order", "arena", "verify", "lower");
        var path = RepositoryPaths.Combine("examples", "inception_exported.gdsl");
        var g = ModelLoader.Load(path).Model!.Main;
        long minimum = TopologicalOrders(g).Min(o => OptimizationSummaryTests.BrutePeak(g, o));
        long largest = g.Operators.Max(op => op.PresentInputs.Concat(op.PresentOutputs).Distinct()
            .Select(g.Tensor).Where(t => t.IsActivation).Sum(t => t.ByteSize!.Value));
        Assert.Equal((147_456, 114_688), (minimum, largest));  // two different figures

        var tmm = GraphDslCli.Json("tmm", path);
        var order = GraphDslCli.Json("order", path);
        var optimize = GraphDslCli.Json("optimize", path);
        Assert.Equal(largest, tmm.GetProperty("largest_operator_bytes").GetInt64());
        Assert.Equal(minimum, order.GetProperty("proven_lower_bound_bytes").GetInt64());
        Assert.Equal(largest, optimize.GetProperty("largest_operator_bytes").GetInt64());
        Assert.Equal(minimum, optimize.GetProperty("optimized").GetProperty("proven_lower_bound_bytes").GetInt64());
        foreach (var json in new[] { tmm, order, optimize, optimize.GetProperty("optimized") })
            Assert.False(json.TryGetProperty("lower_bound_bytes", out _), "the ambiguous key is gone");

        var run = GraphDslCli.Run("optimize", path, "-o", P("o.gdsl"), "--header", P("o.h"), "--report", P("o.html"));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("order: proven optimal, minimum peak over all orders 147,456 B (proven lower bound)", run.StdOut);
        Assert.Matches(@"largest single operator\s+114,688", run.StdOut);
        Assert.Contains("proven optimal, minimum peak over all orders 147456 B; largest single-operator footprint 114688 B.", File.ReadAllText(P("o.h")));
        var html = File.ReadAllText(P("o.html"));
        Assert.Contains("proven optimal, minimum peak over all orders 147,456 B (proven lower bound)", html);
        Assert.Contains("<td>114,688 B</td>", html);
        Assert.DoesNotContain("lower bound (largest", html);
        var tmmText = GraphDslCli.Run("tmm", path);
        Assert.Contains("largest single-operator footprint: 114,688 bytes", tmmText.StdOut.Replace("\n", " ").Replace("  ", " "));
    }
}
