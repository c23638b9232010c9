using GraphDsl.Ir;
using GraphDsl.Passes.ArenaPlan;
using GraphDsl.Syntax;
using GraphDsl.TestKit;
using Xunit;

namespace GraphDsl.ArenaPlanning.Tests;

/// <summary>The printed IR of each <c>examples/*.gdsl</c> after the <c>arena</c> pass, so every
/// offset and reuse decision shows up in a reviewed diff.</summary>
public sealed class ExampleSnapshotTests
{
    public static TheoryData<string> Examples() =>
        new(Directory.GetFiles(RepositoryPaths.Combine("examples"), "*.gdsl").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Examples))]
    public void PrintedIrAfterArena(string example)
    {
        var path = RepositoryPaths.Combine("examples", example + ".gdsl");
        var parsed = GraphDslSyntax.Parse(File.ReadAllText(path), path);
        Assert.True(parsed.Succeeded, string.Join("\n", parsed.Diagnostics));
        var (result, bag) = PassTests.Run(new ArenaPass(), parsed.Model!);
        Assert.Empty(bag);
        Assert.Empty(PassTests.Run(new VerifyPass(), result.Model).Diagnostics);
        Snapshot.Verify("// pipeline: arena\n" + IrPrinter.Print(result.Model), Snapshot.PathBeside("Snapshots/" + example));
    }
}
