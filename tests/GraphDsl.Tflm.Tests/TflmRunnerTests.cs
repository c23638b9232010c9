using GraphDsl.TestKit;
using GraphDsl.TestKit.Tflm;
using Xunit;

namespace GraphDsl.Tflm.Tests;

/// <summary>The runner itself, on models whose TFLM figures are known independently
/// (../shared/cases/README.md was measured with TFLM by other means; hello_world's tensors are
/// small enough to check by hand).</summary>
public sealed class TflmRunnerTests
{
    [SkippableFact]
    public void Hello_world_runs_with_the_same_hashes_for_the_same_seed_and_different_ones_per_seed()
    {
        var model = CorpusModels.PathOf("hello_world_int8.tflite");
        var run = TflmRunner.Run(model);
        Assert.True(run.Ok, run.ToString());
        Assert.Empty(run.UnsupportedOps);
        // hello_world: int8 [1,1] in, three FULLY_CONNECTED, int8 [1,1] out.
        var output = Assert.Single(run.Outputs);
        Assert.Equal("INT8", output.Type);
        Assert.Equal(1, output.Bytes);
        Assert.Equal(TflmRunner.DefaultSeeds, output.Hashes.Count);
        Assert.True(output.Hashes.Distinct().Count() > 1, "every seed gave the same output: inputs are not filled");
        Assert.Equal(run.HeadBytes + run.TailBytes, run.ArenaUsedBytes);
        Assert.True(run.TailBytes > 0);
        // Planned tensors: activations of 1x16 int8 (two) plus input and output (1 B each), in the head.
        Assert.All(run.Tensors, t => Assert.True(t.Offset + t.Bytes <= run.HeadBytes, $"tensor {t.Index} ends past the head"));
        Assert.Equal([1, 1, 16, 16], run.Tensors.Select(t => t.Bytes).Order());

        var again = TflmRunner.Run(model, seeds: 3);
        Assert.Equal(output.Hashes.Take(3), again.Outputs[0].Hashes);
    }

    [SkippableFact]
    public void The_cases_head_sizes_are_the_ones_measured_in_the_cases_readme()
    {
        // ../shared/cases/README.md: no_operators head 32 B, dup_outputs 512 B, while_loop 224 B, unused_input 464 B.
        foreach (var (file, head) in new[] { ("no_operators.tflite", 32L), ("dup_outputs.tflite", 512L), ("while_loop.tflite", 224L), ("unused_input.tflite", 464L) })
        {
            var run = TflmRunner.Run(CaseModels.PathOf(file));
            Assert.True(run.Ok, file + ": " + run);
            Assert.True(head == run.HeadBytes, $"{file}: head {run.HeadBytes} B, the cases README says {head} B");
        }
    }

    [SkippableFact]
    public void A_file_that_is_not_a_model_is_an_error_in_the_json_not_a_crash()
    {
        var path = Path.Combine(Path.GetTempPath(), $"graphdsl-not-a-model-{Guid.NewGuid():N}.tflite");
        File.WriteAllText(path, "this is not a flatbuffer");
        try
        {
            var run = TflmRunner.Run(path);
            Assert.False(run.Ok);
            Assert.Contains("not a valid TFLite flatbuffer", run.Error);
            Assert.Contains(path, run.Error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SkippableFact]
    public void An_arena_too_small_is_refused_with_tflms_own_message()
    {
        var run = TflmRunner.Run(CorpusModels.PathOf("person_detect.tflite"), seeds: 1, arenaBytes: 4096);
        Assert.False(run.Ok);
        Assert.Contains(run.Log, l => l.Contains("Failed to", StringComparison.OrdinalIgnoreCase) || l.Contains("not enough", StringComparison.OrdinalIgnoreCase));
    }
}
