using GraphDsl.Ir;
using GraphDsl.Loading;
using GraphDsl.Syntax;
using GraphDsl.TestKit;
using Xunit;

namespace GraphDsl.Syntax.Tests;

/// <summary>Every hand-written example parses, verifies, prints canonically and round-trips.</summary>
public class ExampleTests
{
    public static IEnumerable<object[]> Examples() =>
        Directory.GetFiles(RepositoryPaths.Combine("examples"), "*.gdsl")
            .Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).Select(n => new object[] { n! });

    private static Model Load(string name)
    {
        var result = ModelLoader.Load(RepositoryPaths.Combine("examples", name + ".gdsl"));
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
        return result.Model!;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_round_trips_through_canonical_text(string name)
    {
        var model = Load(name);
        var printed = IrPrinter.Print(model);
        var reparsed = GraphDslSyntax.Parse(printed, name + ".canonical.gdsl");
        Assert.True(reparsed.Succeeded, string.Join("\n", reparsed.Diagnostics));
        Assert.Equal(model, reparsed.Model);
        Assert.Equal(printed, IrPrinter.Print(reparsed.Model!));
        Assert.Empty(IrVerifier.Verify(reparsed.Model!));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_canonical_text_matches_snapshot(string name) =>
        Snapshot.Verify(IrPrinter.Print(Load(name)), Snapshot.PathBeside("Snapshots/" + name));

    [Fact]
    public void The_three_required_examples_exist() =>
        Assert.Superset(new HashSet<string> { "cnn", "residual", "inception" },
            Examples().Select(e => (string)e[0]).ToHashSet());

    [Fact]
    public void Inception_joins_four_branches_that_all_read_the_block_input()
    {
        var g = Load("inception").Main;
        var concat = g.Operators.Single(o => o.OpType == "CONCATENATION");
        Assert.Equal(4, concat.Inputs.Count);
        // Every branch traces back to x without passing through another branch's result.
        foreach (var branchOutput in concat.Inputs)
        {
            var seen = new HashSet<string>();
            var frontier = new Stack<string>([branchOutput!]);
            while (frontier.Count > 0)
            {
                var t = frontier.Pop();
                if (!seen.Add(t)) continue;
                var p = g.ProducerOf(t);
                if (p >= 0) foreach (var i in g.Operators[p].PresentInputs) frontier.Push(i);
            }
            Assert.Contains("x", seen);
            Assert.DoesNotContain(concat.Inputs.Where(o => o != branchOutput), o => seen.Contains(o!));
        }
    }
}
