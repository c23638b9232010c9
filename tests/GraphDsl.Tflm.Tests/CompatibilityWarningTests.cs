using System.Text.RegularExpressions;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Loading;
using GraphDsl.Tflm;
using GraphDsl.TestKit;
using GraphDsl.TestKit.Tflm;
using Xunit;
using Xunit.Abstractions;

namespace GraphDsl.Tflm.Tests;

/// <summary>The product's TFLM compatibility warnings (GD36xx, printed by check, tmm and optimize)
/// name exactly the operators the real TFLM refuses: the runner prepares and runs every operator
/// past the first refusal, so its list is complete and the comparison is per operator.</summary>
public sealed class CompatibilityWarningTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Models() => TflmModels.All();

    private static readonly Regex OperatorFragment = new(@"^subgraph(\d+)/op(\d+)\b", RegexOptions.CultureInvariant);

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void Warned_operators_are_exactly_the_operators_tflm_refuses(string label)
    {
        TflmRunner.Binary();
        var path = TflmModels.PathOf(label);
        var run = TflmModels.Original(label);
        var read = ModelLoader.Load(path);
        Assert.True(read.Succeeded, string.Join("\n", read.Diagnostics));

        var warnings = TflmCompatibility.Check(read.Model!);
        foreach (var w in warnings.Take(8)) output.WriteLine(w.ToString());
        if (warnings.Count > 8) output.WriteLine($"... {warnings.Count - 8} more warnings");
        Assert.All(warnings, w => Assert.Equal(Severity.Warning, w.Severity));

        var warned = warnings.Select(w => At(w.Location)).Order().ToList();
        var refused = run.Refused.Select(r => (r.Subgraph, r.Index)).Distinct().Order().ToList();
        output.WriteLine($"{label}: TFLM {run}; {warned.Count} operators warned, {refused.Count} refused by TFLM");
        Assert.Equal(run.Ok, warnings.Count == 0);
        Assert.Equal(refused, warned);
    }

    [SkippableFact]
    public void Check_prints_the_warnings_with_the_operator_location_and_still_succeeds()
    {
        var model = CorpusModels.PathOf("split_concat.tflite");
        var run = GraphDslCli.Run("check", model);
        Assert.True(run.ExitCode == 0, run.ToString());
        // split_concat: CONCATENATION (op 0, op 2) and SPLIT (op 1) on uint8, which TFLM refuses.
        Assert.Contains($"{model}#subgraph0/op0 'CONCATENATION': warning GD3601", run.StdErr);
        Assert.Contains($"{model}#subgraph0/op1 'SPLIT': warning GD3601", run.StdErr);
        Assert.Contains("concatenation.cc", run.StdErr);
        var clean = GraphDslCli.Run("check", CorpusModels.PathOf("vww_96_int8.tflite"));
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.DoesNotContain("GD36", clean.StdErr);
    }

    [SkippableFact]
    public void Models_in_onnx_vocabulary_get_no_tflm_warnings()
    {
        // ONNX operators (Conv, Relu...) are not TFLite operators: TFLM cannot run them as they are,
        // and warning on each would drown the output; the check applies to TFLite models only.
        var read = ModelLoader.Load(CorpusModels.PathOf("light_squeezenet.onnx"));
        Assert.True(read.Succeeded, string.Join("\n", read.Diagnostics));
        Assert.False(TflmCompatibility.AppliesTo(read.Model!));
        Assert.Empty(TflmCompatibility.Check(read.Model!));
    }

    private static (int, int) At(Location? location)
    {
        var fragment = Assert.IsType<ModelLocation>(location).Fragment;
        var m = OperatorFragment.Match(fragment);
        Assert.True(m.Success, $"warning location '{fragment}' does not name an operator");
        return (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value));
    }
}
