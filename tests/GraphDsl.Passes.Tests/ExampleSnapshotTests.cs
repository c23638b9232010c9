using GraphDsl.Ir;
using GraphDsl.Loading;
using GraphDsl.TestKit;
using Xunit;

namespace GraphDsl.Passes.Tests;

/// <summary>For every hand-written graph in <c>examples/</c>, the IR text after <c>tmm</c>
/// (annotations included) matches <c>Examples/tmm/&lt;name&gt;.verified.gdsl</c>, and the figures
/// match the independent lifetime sweep.</summary>
public class ExampleSnapshotTests
{
    private static string VerifiedDirectory => RepositoryPaths.Combine("tests", "GraphDsl.Passes.Tests", "Examples", "tmm");

    public static IEnumerable<object[]> Examples() =>
        Directory.GetFiles(RepositoryPaths.Combine("examples"), "*.gdsl").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)
            .Select(n => new object[] { n! });

    [Theory]
    [MemberData(nameof(Examples))]
    public void Tmm_output_of_each_example_matches_its_snapshot_and_the_oracle(string name)
    {
        var loaded = ModelLoader.Load(RepositoryPaths.Combine("examples", name + ".gdsl"));
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
        var run = BuiltInPasses.Run("tmm", loaded.Model!);
        Assert.True(run.Succeeded, string.Join("\n", run.Diagnostics));
        CorpusTmmTests.AssertMatchesOracle(loaded.Model!.Main, run.Model.Main);
        Snapshot.Verify(IrPrinter.Print(run.Model), Path.Combine(VerifiedDirectory, name + ".verified.gdsl"));
    }

    [Fact]
    public void Every_snapshot_belongs_to_an_example()
    {
        var examples = Examples().Select(e => (string)e[0]).ToHashSet();
        var snapshots = Directory.Exists(VerifiedDirectory)
            ? Directory.GetFiles(VerifiedDirectory, "*.verified.gdsl").Select(f => Path.GetFileName(f)[..^".verified.gdsl".Length])
            : [];
        Assert.Empty(snapshots.Where(s => !examples.Contains(s)));
    }
}
