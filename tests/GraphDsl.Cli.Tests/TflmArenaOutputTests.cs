using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using GraphDsl.TestKit;
using GraphDsl.TestKit.Tflm;
using Xunit;

namespace GraphDsl.Cli.Tests;

/// <summary>Issue 13: what <c>tmm</c>, <c>plan</c> and <c>optimize</c> tell a user about TFLM's
/// arena (head, <c>kTensorArenaSize</c>, their parts) equals what TFLM itself reports when it runs
/// the model (tools/tflm-runner: <c>GetNonPersistentUsedBytes</c>, <c>GetPersistentUsedBytes</c>,
/// <c>arena_used_bytes()</c>), for the input and for the written model.</summary>
public sealed class TflmArenaOutputTests : InTempDirectory
{
    // Scratch buffers and variables (SVDF), a plain CNN, and several subgraphs (WHILE).
    public static IEnumerable<object[]> Models() =>
        [["models/keyword_scrambled.tflite"], ["models/vww_96_int8.tflite"], ["cases/while_loop.tflite"]];

    private static string PathOf(string label) =>
        label.StartsWith("cases/", StringComparison.Ordinal) ? CaseModels.PathOf(label[6..]) : CorpusModels.PathOf(label[7..]);

    private static void AssertFigures(JsonElement json, TflmRunResult measured, string what)
    {
        Assert.True(json.GetProperty("tflm_head_bytes").GetInt64() == measured.HeadBytes, $"{what}: head {json.GetProperty("tflm_head_bytes")} vs TFLM {measured}");
        Assert.True(json.GetProperty("tflm_arena_bytes").GetInt64() == measured.ArenaUsedBytes, $"{what}: arena {json.GetProperty("tflm_arena_bytes")} vs TFLM {measured}");
        var parts = json.GetProperty("tflm_breakdown");
        Assert.Equal(measured.TailBytes, parts.GetProperty("persistent_bytes").GetInt64());
        long activations = parts.GetProperty("activation_bytes").GetInt64(), scratch = parts.GetProperty("scratch_bytes").GetInt64();
        Assert.Equal(measured.HeadBytes, activations + scratch);
        // Activations: the end of the highest tensor TFLM placed (runner's offsets), 16-byte aligned.
        long highest = measured.Tensors.Select(t => (t.Offset + t.Bytes + 15) / 16 * 16).DefaultIfEmpty(0).Max();
        Assert.True(activations >= highest, $"{what}: activations {activations} B below TFLM's highest tensor end {highest} B");
    }

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void Tmm_json_and_text_give_tflms_measured_arena(string label)
    {
        var model = PathOf(label);
        var measured = TflmRunner.Run(model, seeds: 1);
        Assert.True(measured.Ok, measured.ToString());
        var json = Graphdsl.Run(Dir, "tmm", model, "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        using var doc = JsonDocument.Parse(json.StdOut);
        AssertFigures(doc.RootElement, measured, label + " tmm --json");
        Assert.StartsWith(doc.RootElement.GetProperty("tflm_commit").GetString()!, TflmRunner.TflmCommit, StringComparison.Ordinal);

        var text = Graphdsl.Run(Dir, "tmm", model);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains($"TFLM arena: {measured.ArenaUsedBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes for kTensorArenaSize", text.StdOut);
        Assert.Contains(TflmRunner.TflmCommit[..12], text.StdOut);
    }

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void Plan_json_gives_tflms_measured_arena_of_the_input(string label)
    {
        var model = PathOf(label);
        var measured = TflmRunner.Run(model, seeds: 1);
        Assert.True(measured.Ok, measured.ToString());
        var run = Graphdsl.Run(Dir, "plan", model, "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.StdOut);
        var root = doc.RootElement;
        Assert.Equal(measured.HeadBytes, root.GetProperty("tflm_stored_head_bytes").GetInt64());
        Assert.Equal(measured.ArenaUsedBytes, root.GetProperty("tflm_stored_arena_bytes").GetInt64());
        // With this plan: the same persistent section (the plan changes offsets, not TFLM's structs).
        var parts = root.GetProperty("tflm_breakdown");
        Assert.Equal(measured.TailBytes, parts.GetProperty("persistent_bytes").GetInt64());
        Assert.Equal(root.GetProperty("tflm_head_bytes").GetInt64() + measured.TailBytes, root.GetProperty("tflm_arena_bytes").GetInt64());

        var text = Graphdsl.Run(Dir, "plan", model);
        Assert.Contains("TFLite Micro arena (kTensorArenaSize): ", text.StdOut);
        Assert.Contains(TflmRunner.TflmCommit[..12], text.StdOut);
    }

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void Optimize_json_header_and_report_give_tflms_measured_arena_before_and_after(string label)
    {
        var model = PathOf(label);
        var before = TflmRunner.Run(model, seeds: 1);
        Assert.True(before.Ok, before.ToString());
        var run = Graphdsl.Run(Dir, "optimize", model, "-o", "out.tflite", "--header", "out.h", "--report", "r.html", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        var after = TflmRunner.Run(P("out.tflite"), seeds: 1);
        Assert.True(after.Ok, after.ToString());
        using var doc = JsonDocument.Parse(run.StdOut);
        AssertFigures(doc.RootElement.GetProperty("stored"), before, label + " stored");
        AssertFigures(doc.RootElement.GetProperty("optimized"), after, label + " optimized");

        // The header's arena size is kTensorArenaSize for the written model.
        var header = File.ReadAllText(P("out.h"));
        var define = Regex.Match(header, @"#define \w+_ARENA_SIZE (\d+)u");
        Assert.True(define.Success, header);
        Assert.Equal(after.ArenaUsedBytes, long.Parse(define.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.Contains($"persistent section (tail) {after.TailBytes} B", header);

        var html = File.ReadAllText(P("r.html"));
        Assert.Contains("kTensorArenaSize", html);
        Assert.Contains(after.ArenaUsedBytes.ToString("N0", CultureInfo.InvariantCulture), html);
    }
}
