using GraphDsl.Ir;
using GraphDsl.Loading;
using GraphDsl.TestKit;
using Xunit;

namespace GraphDsl.Passes.Tests;

/// <summary>Runs every <c>Cases/&lt;pass&gt;/*.gdsl</c> through its pipeline with the built-in
/// plugins and compares the printed IR with <c>.verified.gdsl</c> and the diagnostics with the
/// inline expectations. A new pass only needs a folder of case files.</summary>
public class PassCaseTests
{
    public static IEnumerable<object[]> Cases() => PassCase.All().Select(c => new object[] { c });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_output_matches_its_verified_file(string name)
    {
        var @case = PassCase.Load(name);
        var loaded = ModelLoader.Load(@case.Path);
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
        var run = BuiltInPasses.Run(@case.Pipeline, loaded.Model!);

        bool withLines = @case.Expected.Any(e => e.Line is not null);
        var actual = run.Diagnostics.Select(d => ExpectedDiagnostic.Of(d, withLines && @case.Expected.Any(e => e.Id == d.Id && e.Line is not null)).ToString());
        Assert.Equal(@case.Expected.Select(e => e.ToString()), actual);
        Snapshot.Verify(WithoutTimings(IrPrinter.Print(run.Model)), @case.VerifiedPath);
    }

    /// <summary>The text with wall-clock figures (<c>search_ms=</c>) replaced by <c>search_ms=0</c>:
    /// they differ from run to run, everything else a pass writes is deterministic.</summary>
    public static string WithoutTimings(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\bsearch_ms=\d+", "search_ms=0");

    [Fact]
    public void Every_case_has_a_verified_file_and_every_verified_file_has_a_case()
    {
        var dir = PassCase.CasesDirectory;
        Assert.True(Directory.Exists(dir), dir);
        var cases = PassCase.All().ToHashSet();
        var verified = Directory.GetFiles(dir, "*.verified.gdsl", SearchOption.AllDirectories)
            .Select(f => PassCase.NameOf(f[..^".verified.gdsl".Length] + ".gdsl")).ToHashSet();
        Assert.Empty(cases.Except(verified).Select(c => c + ".gdsl has no .verified.gdsl"));
        Assert.Empty(verified.Except(cases).Select(c => c + ".verified.gdsl has no case"));
        foreach (var c in cases) Assert.NotNull(PassCase.Load(c)); // each has a pipeline line
    }

    [Fact]
    public void Every_case_folder_is_named_after_a_known_pass()
    {
        var folders = Directory.GetDirectories(PassCase.CasesDirectory).Select(Path.GetFileName);
        // Folders of passes from other plugins may exist before those plugins are built here.
        foreach (var folder in folders.Where(f => BuiltInPasses.Catalog.Find(f!) is null))
            Assert.Contains(folder, new[] { "order", "arena", "verify", "lower" });
    }
}
