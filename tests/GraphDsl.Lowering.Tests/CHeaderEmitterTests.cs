using GraphDsl.TestKit;
using System.Globalization;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using Xunit;

namespace GraphDsl.Lowering.Tests;

public sealed class CHeaderEmitterTests : InTempDirectory
{
    private static readonly int[] Order = [0, 4, 2, 3, 1, 5, 6];

    private static (Graph Graph, LoweringPlan Plan) Planned()
    {
        var graph = PlannedGraphs.Plan(PlannedGraphs.InceptionCell(), Order);
        var plan = LoweringPlan.TryRead(graph, null, new DiagnosticBag());
        Assert.NotNull(plan);
        return (graph, plan!);
    }

    private static long OffsetOf(Graph graph, string tensor) =>
        ((AttributeValue.Record)graph.Tensor(tensor).Annotations["arena"]!).Fields["offset"]!.AsInt()!.Value;

    [SkippableFact]
    public void Header_compiles_under_c99_Wall_Werror_and_its_constants_equal_the_plan()
    {
        var cc = ExternalProcess.Find("cc");
        Skip.If(cc is null, "NO C COMPILER (cc) ON PATH: header compile test skipped.");
        var (graph, plan) = Planned();
        File.WriteAllText(P("model.h"), CHeaderEmitter.Emit(plan, "inception cell"));

        // Expected values come from the test's own plan (PlannedGraphs), not from the emitter.
        long arena = graph.Tensors.Where(t => t.IsActivation).Max(t => OffsetOf(graph, t.Name) + t.ByteSize!.Value);
        long b2aOffset = OffsetOf(graph, "b2a");
        int b2aIndex = graph.TensorIndex("b2a");
        var check = string.Join("\n",
            "#include \"model.h\"",
            "#include \"model.h\" /* the guard makes a second include harmless */",
            $"typedef char plan_size_ok[(INCEPTION_CELL_PLAN_SIZE == {arena}u) ? 1 : -1];",
            "typedef char arena_size_ok[(INCEPTION_CELL_ARENA_SIZE >= INCEPTION_CELL_PLAN_SIZE) ? 1 : -1];",
            $"typedef char b2a_offset_ok[(INCEPTION_CELL_T{b2aIndex}_B2A_OFFSET == {b2aOffset}u) ? 1 : -1];",
            "typedef char b2a_size_ok[(INCEPTION_CELL_T4_B2A_SIZE == 8192u) ? 1 : -1];",
            $"typedef char ops_ok[(INCEPTION_CELL_OPERATOR_COUNT == {Order.Length}u) ? 1 : -1];",
            "");
        File.WriteAllText(P("check.c"), check);
        var compiled = ExternalProcess.Run(cc!, ["-std=c99", "-Wall", "-Werror", "-c", "check.c", "-o", "check.o"], workingDirectory: Dir);
        Assert.True(compiled.ExitCode == 0, compiled.ToString());
    }

    [SkippableFact]
    public void Header_tables_read_back_by_a_C_program_give_the_schedule_and_the_offsets()
    {
        var cc = ExternalProcess.Find("cc");
        Skip.If(cc is null, "NO C COMPILER (cc) ON PATH: header run test skipped.");
        var (graph, plan) = Planned();
        File.WriteAllText(P("model.h"), CHeaderEmitter.Emit(plan, "inception cell"));
        File.WriteAllText(P("main.c"), """
            #include <stdio.h>
            #include "model.h"
            static const uint16_t schedule[] = INCEPTION_CELL_SCHEDULE_INIT;
            static const uint32_t tensors[] = INCEPTION_CELL_ACTIVATION_TENSORS_INIT;
            static const uint32_t offsets[] = INCEPTION_CELL_ACTIVATION_OFFSETS_INIT;
            static const uint32_t sizes[] = INCEPTION_CELL_ACTIVATION_SIZES_INIT;
            int main(void) {
                unsigned i;
                for (i = 0; i < INCEPTION_CELL_OPERATOR_COUNT; i++) printf("%u ", (unsigned)schedule[i]);
                printf("\n");
                for (i = 0; i < INCEPTION_CELL_ACTIVATION_COUNT; i++)
                    printf("%u:%u:%u\n", (unsigned)tensors[i], (unsigned)offsets[i], (unsigned)sizes[i]);
                return 0;
            }
            """);
        var exe = P("main");
        var compiled = ExternalProcess.Run(cc!, ["-std=c99", "-Wall", "-Werror", "main.c", "-o", exe], workingDirectory: Dir);
        Assert.True(compiled.ExitCode == 0, compiled.ToString());
        var ran = ExternalProcess.Run(exe, []);
        Assert.Equal(0, ran.ExitCode);
        var lines = ran.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(" ", Order), lines[0].Trim());
        var expected = graph.Tensors.Select((t, i) => (t, i)).Where(x => x.t.IsActivation)
            .Select(x => $"{x.i}:{OffsetOf(graph, x.t.Name)}:{x.t.ByteSize}").ToArray();
        Assert.Equal(expected, lines.Skip(1).ToArray());
    }

    [Fact]
    public void Identifiers_are_valid_C_and_unique_even_when_sanitized_names_collide()
    {
        var graph = PlannedGraphs.InceptionCell();
        // "b1" and "B1" and "b-1" all sanitize to B1; the tensor index keeps the macros apart.
        graph = graph with
        {
            Tensors = graph.Tensors.Select(t => t.Name switch
            {
                "b2" => t with { Name = "B1" },
                "b3" => t with { Name = "1/b*/1" },
                _ => t,
            }).ToEquatableArray(),
            Operators = graph.Operators.Select(o => o with
            {
                Inputs = o.Inputs.Select(i => i == "b2" ? "B1" : i == "b3" ? "1/b*/1" : i).ToEquatableArray(),
                Outputs = o.Outputs.Select(i => i == "b2" ? "B1" : i == "b3" ? "1/b*/1" : i).ToEquatableArray(),
            }).ToEquatableArray(),
        };
        var plan = LoweringPlan.TryRead(PlannedGraphs.Plan(graph, Order), null, new DiagnosticBag())!;
        var header = CHeaderEmitter.Emit(plan, "9 lives");
        var macros = header.Split('\n').Where(l => l.StartsWith("#define ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[1]).ToList();
        Assert.Equal(macros.Count, macros.Distinct().Count());
        Assert.All(macros, m => Assert.Matches("^[A-Z_][A-Z0-9_]*$", m));
        Assert.All(macros, m => Assert.True(m.Length <= 63, m));
        Assert.DoesNotContain("*/1'", header); // the name's "*/" must not end the comment early
        Assert.All(header, c => Assert.True(c < 128, "non-ASCII character in header"));
        Assert.Contains("_9_LIVES_ARENA_SIZE", header, StringComparison.Ordinal);
        Assert.Contains(string.Format(CultureInfo.InvariantCulture, "#ifndef GRAPHDSL__9_LIVES_H"), header);
    }
}
