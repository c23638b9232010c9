using System.Text.Json;
using GraphDsl.TestKit;
using Xunit;

namespace GraphDsl.Cli.Tests;

/// <summary>What a new user met with the tile pass (issue #16 through the CLI): option values it
/// cannot use, the graph language's lower-case padding, a model tiled by an earlier run, and
/// savings in the JSON that must be the differences of the figures they name.</summary>
public sealed class TilingCommandTests : InTempDirectory
{
    /// <summary>A MobileNetV2-style block at 32x32 (1x1 conv to 48 channels, stride-2 depthwise,
    /// 1x1 projection): big enough that bands lower TFLM's whole arena.</summary>
    private static string Block(string padding) =>
        "graph main(x: i8[1,32,32,8] q(scale=0.05, zero_point=-128)) -> (y) {\n"
        + "  const w1: i8[48,1,1,8] q(scale=0.01, zero_point=0)\n"
        + "  const w2: i8[1,3,3,48] q(scale=0.01, zero_point=0)\n"
        + "  const w3: i8[8,1,1,48] q(scale=0.01, zero_point=0)\n"
        + $"  a: i8[1,32,32,48] q(scale=0.05, zero_point=-128) = CONV_2D(x, w1, _) {{padding=\"{padding}\", stride_w=1, stride_h=1, fused_activation_function=\"RELU6\", dilation_w_factor=1, dilation_h_factor=1}}\n"
        + $"  b: i8[1,16,16,48] q(scale=0.05, zero_point=-128) = DEPTHWISE_CONV_2D(a, w2, _) {{padding=\"{padding}\", stride_w=2, stride_h=2, depth_multiplier=1, fused_activation_function=\"RELU6\", dilation_w_factor=1, dilation_h_factor=1}}\n"
        + "  y: i8[1,16,16,8] q(scale=0.05, zero_point=-128) = CONV_2D(b, w3, _) {padding=\"VALID\", stride_w=1, stride_h=1, fused_activation_function=\"NONE\", dilation_w_factor=1, dilation_h_factor=1}\n"
        + "}\n";

    private JsonElement OptimizeJson(string model, params string[] extra)
    {
        var run = Graphdsl.Run(Dir, ["optimize", model, "--json", .. extra]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return JsonDocument.Parse(run.StdOut).RootElement.Clone();
    }

    [Theory]
    [InlineData("max-regions=0", "must be 1 or more")]
    [InlineData("max-region-ops=0", "must be 1 or more")]
    [InlineData("max-mac-overhead=-1", "must be from 0 to 1000")]
    [InlineData("budget-ms=-5", "must be 0 or more")]
    public void Tile_option_values_it_cannot_use_are_refused_at_the_option(string option, string reason)
    {
        File.WriteAllText(P("block.gdsl"), Block("SAME"));
        var run = Graphdsl.Run(Dir, "optimize", "block.gdsl", "--pipeline", $"tmm,order,tile{{{option}}},arena,verify,lower");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("GD3015", run.StdErr);
        Assert.Contains(reason, run.StdErr);
    }

    [Fact]
    public void Lower_case_same_padding_is_tiled_exactly_like_upper_case()
    {
        File.WriteAllText(P("upper.gdsl"), Block("SAME"));
        File.WriteAllText(P("lower.gdsl"), Block("same"));
        var upper = OptimizeJson("upper.gdsl").GetProperty("optimized");
        var lower = OptimizeJson("lower.gdsl").GetProperty("optimized");
        Assert.True(upper.TryGetProperty("tiling", out var u), "the upper-case block is tiled");
        Assert.True(lower.TryGetProperty("tiling", out var l), "the lower-case block is tiled too");
        Assert.Equal(u.GetProperty("macs_after").GetInt64(), l.GetProperty("macs_after").GetInt64());
        Assert.Equal(upper.GetProperty("arena_bytes").GetInt64(), lower.GetProperty("arena_bytes").GetInt64());
    }

    [Fact]
    public void A_model_tiled_by_an_earlier_run_does_not_report_that_tiling_as_this_runs()
    {
        File.WriteAllText(P("block.gdsl"), Block("SAME"));
        var first = Graphdsl.Run(Dir, "optimize", "block.gdsl", "-o", "tiled.gdsl");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("@tiling(", File.ReadAllText(P("tiled.gdsl")));
        var again = OptimizeJson("tiled.gdsl", "--pipeline", "tmm,order,tile{enabled=false},arena,verify,lower");
        Assert.False(again.GetProperty("optimized").TryGetProperty("tiling", out _), "no tiling in this run");
    }

    [Fact]
    public void Each_saving_in_the_json_is_the_difference_of_the_figures_it_names()
    {
        File.WriteAllText(P("block.gdsl"), Block("SAME"));
        var json = OptimizeJson("block.gdsl");
        var stored = json.GetProperty("stored");
        var optimized = json.GetProperty("optimized");
        var saved = json.GetProperty("saved");
        foreach (var key in new[] { "peak_bytes", "arena_bytes" })
            Assert.Equal(stored.GetProperty(key).GetInt64() - optimized.GetProperty(key).GetInt64(), saved.GetProperty(key).GetInt64());
        foreach (var key in new[] { "tflm_greedy_arena_bytes", "tflm_head_bytes", "tflm_arena_bytes" })
            if (stored.GetProperty(key).ValueKind == JsonValueKind.Number && optimized.GetProperty(key).ValueKind == JsonValueKind.Number)
                Assert.Equal(stored.GetProperty(key).GetInt64() - optimized.GetProperty(key).GetInt64(), saved.GetProperty(key).GetInt64());
            else
                Assert.Equal(JsonValueKind.Null, saved.GetProperty(key).ValueKind);
    }
}
