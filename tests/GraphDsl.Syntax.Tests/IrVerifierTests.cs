using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using Xunit;

namespace GraphDsl.Syntax.Tests;

/// <summary><see cref="IrVerifier"/> on graphs built in code: cycle detection checked against a
/// brute-force reachability oracle, reported cycles checked edge by edge, large graphs.</summary>
public class IrVerifierTests
{
    private static Tensor T(string name) => new(name, new TensorType(DataType.Int8, Shape.Of(4)));

    /// <summary>Operator k writes t{k} and reads tensors picked by <paramref name="inputsOf"/>.</summary>
    private static Graph Build(int n, Func<int, IEnumerable<int>> inputsOf, bool withGraphInput = true)
    {
        var tensors = Enumerable.Range(0, n).Select(k => T("t" + k)).Prepend(T("in"));
        var ops = Enumerable.Range(0, n).Select(k => new Operator("OP",
            inputsOf(k).Select(i => i < 0 ? "in" : "t" + i).Cast<string?>().ToEquatableArray(),
            EquatableArray.Create<string?>("t" + k)));
        return new Graph("g", tensors.ToEquatableArray(), ops.ToEquatableArray(),
            withGraphInput ? EquatableArray.Create("in") : EquatableArray<string>.Empty,
            EquatableArray.Create("t" + (n - 1)));
    }

    /// <summary>Cycle exists iff some operator reaches itself: DFS from every operator (quadratic,
    /// fine for the small graphs used here).</summary>
    private static bool HasCycleBruteForce(int n, List<int>[] inputs)
    {
        // Edge producer p -> consumer k when k reads t{p}.
        var successors = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        for (int k = 0; k < n; k++) foreach (var p in inputs[k]) if (p >= 0 && p != k) successors[p].Add(k);
        for (int start = 0; start < n; start++)
        {
            var seen = new HashSet<int>();
            var stack = new Stack<int>(successors[start]);
            while (stack.Count > 0)
            {
                var v = stack.Pop();
                if (v == start) return true;
                if (seen.Add(v)) foreach (var s in successors[v]) stack.Push(s);
            }
        }
        return false;
    }

    [Fact]
    public void Cycle_detection_agrees_with_brute_force_and_names_a_real_cycle()
    {
        var random = new Random(11);
        int cyclic = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            int n = random.Next(2, 25);
            var inputs = new List<int>[n];
            for (int k = 0; k < n; k++)
            {
                inputs[k] = Enumerable.Range(0, random.Next(1, 3)).Select(_ => random.Next(-1, k)).ToList();
                // Occasionally read a later operator's result: a back edge that may close a cycle.
                if (k + 1 < n && random.NextDouble() < 0.08) inputs[k].Add(random.Next(k + 1, n));
            }
            var graph = Build(n, k => inputs[k]);
            var expected = HasCycleBruteForce(n, inputs);
            var diagnostics = IrVerifier.Verify(graph);
            var cycle = diagnostics.SingleOrDefault(d => d.Id == "GD1105");
            Assert.Equal(expected, cycle is not null);
            Assert.DoesNotContain(diagnostics, d => d.Id != "GD1105");
            if (cycle is null) continue;
            cyclic++;
            // "'t3' -> 't5' -> 't3'": each tensor's producer reads the previous one.
            var names = cycle.Message[(cycle.Message.IndexOf("tensors ", StringComparison.Ordinal) + 8)..]
                .Split(" -> ").Select(s => s.Trim('\'')).ToList();
            Assert.Equal(names[0], names[^1]);
            for (int i = 0; i + 1 < names.Count; i++)
            {
                var producer = graph.Operators[graph.ProducerOf(names[i + 1])];
                Assert.Contains(names[i], producer.Inputs);
            }
        }
        Assert.InRange(cyclic, 20, 280);
    }

    [Fact]
    public void A_chain_of_2000_operators_is_clean_and_a_closing_edge_is_a_cycle_through_all()
    {
        const int n = 2000;
        Assert.Empty(IrVerifier.Verify(Build(n, k => [k - 1])));
        var cyclic = Build(n, k => k == 0 ? [n - 1] : [k - 1], withGraphInput: false);
        var d = Assert.Single(IrVerifier.Verify(cyclic));
        Assert.Equal("GD1105", d.Id);
        Assert.Equal(n + 1, d.Message.Split(" -> ").Length);
    }

    [Fact]
    public void Nodes_without_origin_get_a_model_location_naming_the_operator()
    {
        var graph = Build(3, k => k == 1 ? [1] : [k - 1]);
        var d = Assert.Single(IrVerifier.Verify(graph));
        Assert.Equal("GD1103", d.Id);
        var location = Assert.IsType<ModelLocation>(d.Location);
        Assert.Equal("graph 'g'/op1 OP", location.Fragment);
    }
}
