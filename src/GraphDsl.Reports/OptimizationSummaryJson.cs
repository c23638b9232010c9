using System.Text.Json;
using System.Text.Json.Nodes;
using GraphDsl.Analysis;

namespace GraphDsl.Reports;

/// <summary>The JSON <c>graphdsl optimize --json</c> prints for an <see cref="OptimizationSummary"/>
/// (snake_case keys, see the README).</summary>
public static class OptimizationSummaryJson
{
    /// <summary>One indented JSON object; TFLM figures are null where unknown or where TFLM cannot
    /// load the model (<c>tflm_runs_model</c> false: an ONNX input).</summary>
    public static string Render(OptimizationSummary s)
    {
        static JsonObject Figures(MemoryFigures f) => new()
        {
            ["peak_bytes"] = f.PeakBytes,
            ["arena_bytes"] = f.ArenaBytes,
            ["tflm_greedy_arena_bytes"] = f.TflmGreedyArenaBytes,
            ["tflm_head_bytes"] = f.TflmHeadBytes,
            ["tflm_arena_bytes"] = f.TflmArenaBytes,
            ["tflm_breakdown"] = f.TflmBreakdown is var (activations, scratch, persistent)
                ? new JsonObject { ["activation_bytes"] = activations, ["scratch_bytes"] = scratch, ["persistent_bytes"] = persistent }
                : null,
        };
        static JsonArray Tensors(IReadOnlyList<LiveTensor> tensors) =>
            new(tensors.Select(t => (JsonNode)new JsonObject { ["name"] = t.Name, ["bytes"] = t.Bytes }).ToArray());
        var stored = Figures(s.Stored);
        stored["peak_tensors"] = Tensors(s.StoredPeakTensors);
        var optimized = Figures(s.Optimized);
        optimized["peak_tensors"] = Tensors(s.OptimizedPeakTensors);
        optimized["order_proven_optimal"] = s.OrderProvenOptimal;
        optimized["proven_lower_bound_bytes"] = s.ProvenLowerBoundBytes;
        optimized["search_ms"] = s.SearchMs;
        if (s.Tflm is { } t)
        {
            optimized["tflm_offline_plan"] = t.OfflinePlan;
            optimized["tflm_note"] = t.Note;
            optimized["tflm_estimate"] = t.Estimate;
        }
        if (s.Tiling is { } tiling)
        {
            optimized["tiling"] = new JsonObject
            {
                ["macs_before"] = tiling.MacsBefore,
                ["macs_after"] = tiling.MacsAfter,
                ["mac_overhead_percent"] = Math.Round(100 * tiling.MacOverhead, 2),
                ["predicted_tflm_arena_before_bytes"] = tiling.ArenaBeforeBytes,
                ["predicted_tflm_arena_after_bytes"] = tiling.ArenaAfterBytes,
                ["regions"] = new JsonArray(tiling.Regions.Select(r => (JsonNode)new JsonObject
                {
                    ["input"] = r.Input, ["output"] = r.Output, ["bands"] = r.Bands, ["operators"] = r.Operators,
                    ["macs_before"] = r.MacsBefore, ["macs_after"] = r.MacsAfter,
                }).ToArray()),
            };
        }
        var json = new JsonObject
        {
            ["model"] = s.Model,
            ["tflm_commit"] = s.Tflm?.Commit,
            ["tflm_runs_model"] = s.TflmRunsModel,
            ["operators"] = s.Operators,
            ["activation_tensors"] = s.ActivationTensors,
            ["largest_operator_bytes"] = s.LargestOperatorBytes,
            ["assumed_dims"] = new JsonArray((s.AssumedDims ?? []).Select(a => (JsonNode)JsonValue.Create(a)).ToArray()),
            ["set_dims"] = new JsonArray(s.SetDims.Select(a => (JsonNode)JsonValue.Create(a)).ToArray()),
            ["stored"] = stored,
            ["optimized"] = optimized,
            ["moved_operators"] = new JsonArray(s.Moves.Select(m => (JsonNode)new JsonObject
            {
                ["operator"] = m.Operator, ["type"] = m.Type, ["name"] = m.Name, ["from"] = m.Operator, ["to"] = m.Step,
            }).ToArray()),
            ["saved"] = new JsonObject
            {
                // Each saving is the difference of the two figures of the same name above.
                ["peak_bytes"] = s.Stored.PeakBytes - s.Optimized.PeakBytes,
                ["arena_bytes"] = s.Stored.ArenaBytes - s.Optimized.ArenaBytes,
                ["tflm_greedy_arena_bytes"] = Saved(s.Stored.TflmGreedyArenaBytes, s.Optimized.TflmGreedyArenaBytes),
                ["tflm_head_bytes"] = Saved(s.Stored.TflmHeadBytes, s.Optimized.TflmHeadBytes),
                ["tflm_arena_bytes"] = Saved(s.Stored.TflmArenaBytes, s.Optimized.TflmArenaBytes),
                // Of what the device needs when TFLM's figures are known (kTensorArenaSize), else of
                // the arena against TFLM's greedy planner.
                ["percent"] = Math.Round(s.SavedPercent, 2),
            },
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>before - after, or null when either figure is unknown.</summary>
    private static long? Saved(long? before, long? after) => before - after;
}
