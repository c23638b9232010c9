using GraphDsl.Ir;
using GraphDsl.Tiling;
using Xunit;

namespace GraphDsl.Passes.Tests.Tiling;

/// <summary>Row-band tiling checked against a direct evaluation of the untiled graph
/// (<see cref="ReferenceInterpreter"/>) and against receptive fields computed row by row.</summary>
public class RowBandTilerTests
{
    [Fact]
    public void Tiling_random_chains_with_random_band_counts_computes_the_same_output()
    {
        int tiled = 0, onlyPadding = 0;
        for (int seed = 0; seed < 300; seed++)
        {
            var graph = RandomChains.Build(seed);
            var output = graph.Outputs[0];
            var region = TilingRegion.Between(graph, "x", output, out var why);
            Assert.True(region is not null, $"seed {seed}: {why}");
            long rows = graph.Tensor(output).Type.Shape.Dims[1].Value!.Value;
            int k = new Random(seed).Next(1, (int)rows + 1);
            Graph result;
            try { result = RowBandTiler.Tile(graph, region!, k); }
            catch (ArgumentException) { onlyPadding++; continue; }
            tiled++;
            Assert.Empty(IrVerifier.Verify(result));
            Assert.Equal(graph.Outputs, result.Outputs);
            // TFLM's CONCATENATION takes at most 10 inputs: more bands are joined in groups.
            var concats = result.Operators.Where(o => o.OpType == "CONCATENATION").ToArray();
            Assert.Equal(k <= 10 ? 1 : 1 + (k + 9) / 10, concats.Length);
            Assert.All(concats, c => Assert.InRange(c.Inputs.Count, 1, 10));
            Assert.DoesNotContain(result.Operators, o => o.Attributes["padding"] is AttributeValue.Str { Value: "SAME" });

            var x = graph.Tensor("x").Type.Shape.Dims.Select(d => d.Value!.Value).ToArray();
            var rng = new Random(seed * 7 + 1);
            var input = new ReferenceInterpreter.Value(x, Enumerable.Range(0, (int)x.Aggregate(1L, (a, b) => a * b)).Select(_ => (double)rng.Next(-5, 6)).ToArray());
            var expected = ReferenceInterpreter.Run(graph, new Dictionary<string, ReferenceInterpreter.Value> { ["x"] = input })[output];
            var actual = ReferenceInterpreter.Run(result, new Dictionary<string, ReferenceInterpreter.Value> { ["x"] = input })[output];
            Assert.True(expected.Data.SequenceEqual(actual.Data), $"seed {seed}, {k} bands: outputs differ");
        }
        // The generator must mostly make tileable chains, or the property says little.
        Assert.True(tiled >= 250, $"{tiled} tiled, {onlyPadding} with a band of padding only");
    }

    [Fact]
    public void Rows_each_band_reads_of_the_input_are_its_receptive_field_row_by_row()
    {
        for (int seed = 0; seed < 300; seed++)
        {
            var graph = RandomChains.Build(seed);
            var region = TilingRegion.Between(graph, "x", graph.Outputs[0], out _)!;
            long rows = graph.Tensor(graph.Outputs[0]).Type.Shape.Dims[1].Value!.Value;
            for (long r = 0; r < rows; r++)
            {
                var direct = ReceptiveRows(graph, graph.Outputs[0], [r]);
                var need = RowBandTiler.RequiredRows(graph, region, new RowRange(r, r + 1));
                var band = need["x"];
                if (direct.Count == 0)
                {
                    // A row made of padding only (a PAD at the end of the chain) reads no input row:
                    // some tensor on the way holds no rows, which Tile refuses.
                    Assert.True(need.Values.Any(v => v.Count <= 0), $"seed {seed} row {r}: {band}");
                    continue;
                }
                Assert.True((direct.Min(), direct.Max() + 1) == (band.First, band.End), $"seed {seed} row {r}: direct [{direct.Min()}, {direct.Max() + 1}), tiler {band}");
            }
        }
    }

    /// <summary>Rows of x that rows <paramref name="rows"/> of <paramref name="tensor"/> read,
    /// one operator and one tap at a time from the operators' definitions (a tap outside the
    /// input is padding); a band holds contiguous rows, so each tensor on the way holds every row
    /// from the first to the last one read.</summary>
    private static HashSet<long> ReceptiveRows(Graph graph, string tensor, HashSet<long> rows)
    {
        if (rows.Count == 0) return [];
        var hull = new HashSet<long>();
        for (long r = rows.Min(); r <= rows.Max(); r++) hull.Add(r);
        if (tensor == "x") return hull;
        var op = graph.Operators[graph.ProducerOf(tensor)];
        long Attr(string n, long d) => op.Attributes[n]?.AsInt() ?? d;
        long inRows = graph.Tensor(op.Inputs[0]!).Type.Shape.Dims[1].Value!.Value;
        long outRows = graph.Tensor(tensor).Type.Shape.Dims[1].Value!.Value;
        var taps = new List<long>();
        switch (op.OpType)
        {
            case "CONV_2D" or "DEPTHWISE_CONV_2D" or "MAX_POOL_2D" or "AVERAGE_POOL_2D":
            {
                long k = op.OpType.EndsWith("POOL_2D") ? Attr("filter_height", 1) : graph.Tensor(op.Inputs[1]!).Type.Shape.Dims[1].Value!.Value;
                long s = Attr("stride_h", 1), d = Attr("dilation_h_factor", 1);
                long pad = (op.Attributes["padding"] as AttributeValue.Str)?.Value == "SAME" ? Math.Max((outRows - 1) * s + (k - 1) * d + 1 - inRows, 0) / 2 : 0;
                foreach (var row in hull)
                    for (long j = 0; j < k; j++) taps.Add(row * s - pad + j * d);
                break;
            }
            case "PAD":
            {
                long top = BitConverter.ToInt32(((ConstantData.Inline)graph.Tensor(op.Inputs[1]!).Data!).Bytes.AsImmutableArray().AsSpan(8, 4));
                foreach (var row in hull) taps.Add(row - top);
                break;
            }
            default:
                var all = new HashSet<long>();
                foreach (var i in op.PresentInputs.Where(i => graph.Tensor(i).IsActivation)) all.UnionWith(ReceptiveRows(graph, i, hull));
                return all;
        }
        // A window reads its taps at fixed distances, so its input band spans the first to the
        // last tap; taps outside the input are padding.
        var read = new HashSet<long>();
        for (long i = Math.Max(0, taps.Min()); i <= Math.Min(inRows - 1, taps.Max()); i++) read.Add(i);
        return ReceptiveRows(graph, op.Inputs[0]!, read);
    }
}

/// <summary>The graph language expresses tiled IR: every tiled snapshot parses back to a model that
/// prints to the same text (SLICE/PAD constants, band tensors, @tile and @tiling annotations).</summary>
public class TiledIrRoundTripTests
{
    [Fact]
    public void Tiled_snapshots_print_and_parse_back_unchanged()
    {
        var files = Directory.GetFiles(Path.Combine(PassCase.CasesDirectory, "tile"), "*.verified.gdsl");
        Assert.NotEmpty(files);
        int tiled = 0;
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var loaded = GraphDsl.Loading.ModelLoader.Load(file);
            Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
            Assert.Equal(text, IrPrinter.Print(loaded.Model!));
            if (loaded.Model!.Main.Operators.Any(o => o.Annotations.ContainsKey(WellKnownAnnotations.Tile))) tiled++;
        }
        Assert.True(tiled >= 2, $"{tiled} tiled snapshots");
    }
}
