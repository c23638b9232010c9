using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GraphDsl.Analysis;
using GraphDsl.Analysis.Annotations;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Loading;
using GraphDsl.Pipeline;
using GraphDsl.Reports;
using Spectre.Console;

namespace GraphDsl.Cli.Commands;

/// <summary><c>graphdsl tmm MODEL [--order stored|FILE] [--csv F] [--chart F.svg|F.png] [--json] [--all]</c>:
/// Tensor Memory Mapping. Runs the pipeline <c>tmm</c> and shows, for the current execution
/// order, the activation bytes of every operator, the peak and the largest single-operator footprint.</summary>
public static class TmmCommand
{
    private const int TopRows = 15;

    public static Command Create()
    {
        var model = new Argument<string>("MODEL") { Description = "Model to read (.gdsl, .tflite, ...)." };
        var order = new Option<string?>("--order") { Description = "Execution order: 'stored', or a file of operator indices (one per line or comma separated). Default: the model's @order annotations, else stored." };
        var csv = new Option<string?>("--csv") { Description = "Write the table as CSV to this file." };
        var chart = new Option<string?>("--chart") { Description = "Write a stacked-bar chart to this file (.png or .svg)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the table." };
        var all = new Option<bool>("--all") { Description = "Show every operator, not only the largest ones." };
        var view = new Option<string>("--view") { Description = "tflm (default: TFLite Micro's arena) or persistent-dequantize.", DefaultValueFactory = _ => "tflm" };
        var shared = new PipelineCommandOptions();
        var dim = ModelInput.DimOption();
        var force = StagedOutputs.ForceOption();
        var command = new Command("tmm", "Tensor Memory Mapping: activation bytes per operator, the peak and the largest single-operator footprint.") { model, order, csv, chart, json, all, view, dim, force };
        shared.AddTo(command, withPrinting: false);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(model)!;
            var chartPath = parse.GetValue(chart);
            if (!StagedOutputs.CheckExtension(chartPath, "the chart", "PNG or SVG", ".png", ".svg")
                || !StagedOutputs.CheckExtension(parse.GetValue(csv), "the table", "CSV", ".csv"))
                return 1;
            var outputs = new StagedOutputs(path, parse.GetValue(force));
            if (parse.GetValue(csv) is { } csvTarget) outputs.Add(csvTarget, []);
            if (chartPath is not null) outputs.Add(chartPath, []);
            // Refuse bad destinations before any work.
            if (!outputs.Check()) return 1;
            outputs = new StagedOutputs(path, parse.GetValue(force));
            var loaded = ModelInput.Load(path, parse.GetValue(dim));
            var printer = new DiagnosticPrinter(Console.Error);
            printer.Print(loaded.Diagnostics);
            if (!loaded.Succeeded) return 1;
            var input = loaded.Model!;
            var runner = shared.CreateRunner(parse);
            if (!runner.WarnTflmCompatibility(input, loaded.Source)) return 1;
            if (parse.GetValue(order) is { } orderText)
            {
                if (WithOrder(input, orderText, printer) is not { } ordered) return 1;
                input = ordered;
            }

            var run = runner.Run(input, loaded.Source, $"tmm{{view={parse.GetValue(view)}}}", new ArtifactBuffer());
            if (run is null) return 1;
            if (!run.Succeeded) return PipelineRunner.ExitCode(run);
            var table = TmmTable.FromModel(run.Model)!;

            if (parse.GetValue(csv) is { } csvPath) outputs.Add(csvPath, TmmCsv.Render(table));
            if (chartPath is not null)
                outputs.Add(chartPath, TmmChart.Render(table, input.Name ?? Path.GetFileName(path), chartPath.EndsWith(".svg", StringComparison.OrdinalIgnoreCase)));
            if (parse.GetValue(json)) Console.Out.WriteLine(ToJson(table, Path.GetFileName(path)));
            else ShowTable(table, parse.GetValue(all));
            return outputs.Commit() ? 0 : 1;
        });
        return command;
    }

    private static Model? WithOrder(Model model, string orderText, DiagnosticPrinter printer)
    {
        if (orderText == "stored") return model.WithMain(ExecutionOrderFile.Apply(model.Main, null));
        if (ModelLoader.ReadText(orderText) is not { } text)
        {
            Console.Error.WriteLine($"{orderText}: error: cannot read the order file (use 'stored' for the stored order)");
            return null;
        }
        var bag = new DiagnosticBag();
        var order = ExecutionOrderFile.Parse(text, orderText, model.Main, bag);
        printer.Print(bag);
        return order is null ? null : model.WithMain(ExecutionOrderFile.Apply(model.Main, order));
    }

    private static void ShowTable(TmmTable table, bool all)
    {
        var shown = all ? table.Rows
            : table.Rows.OrderByDescending(r => r.TotalBytes).ThenBy(r => r.Step).Take(TopRows).OrderBy(r => r.Step).ToList();
        var grid = new Table().Border(TableBorder.Simple);
        foreach (var h in new[] { "step", "op", "name", "type", "inputs", "outputs", "other", "total" })
            grid.AddColumn(h is "name" or "type" ? new TableColumn(h) : new TableColumn(h).RightAligned());
        foreach (var r in shown)
        {
            var peak = r.Step == table.PeakStep;
            string Cell(string s) => peak ? $"[bold red]{Markup.Escape(s)}[/]" : Markup.Escape(s);
            grid.AddRow(Cell(N(r.Step)), Cell(N(r.Operator)), Cell(Shorten(r.Name)), Cell(r.Type),
                Cell(N(r.InputBytes)), Cell(N(r.OutputBytes)), Cell(N(r.OtherBytes)), Cell(N(r.TotalBytes)));
        }
        var console = AnsiConsole.Console;
        console.Write(grid);
        if (!all && table.Rows.Count > shown.Count)
            console.MarkupLine($"{shown.Count} of {table.Rows.Count} operators shown (largest totals); --all shows every one.");
        var peakRow = table.PeakStep >= 0 ? table.Rows[table.PeakStep] : null;
        console.MarkupLine(Markup.Escape($"operators: {table.Rows.Count}  view: {table.View}"));
        console.MarkupLine(Markup.Escape(peakRow is null
            ? $"peak: {N(table.PeakBytes)} bytes before the first operator ({(table.PeakStep == -1 ? "the graph inputs" : "tensors no operator touches, which TFLite Micro still allocates")})"
            : $"peak: {N(table.PeakBytes)} bytes at step {peakRow.Step}, operator {peakRow.Operator} ({peakRow.Type} {peakRow.Name})"));
        if (table.PeakTensors.Count > 0)
            console.MarkupLine(Markup.Escape($"live at the peak: {table.PeakTensors.Count} tensors: {LiveTensor.Describe(table.PeakTensors)}"));
        console.MarkupLine(Markup.Escape($"largest single-operator footprint: {N(table.LargestOperatorBytes)} bytes (largest inputs+outputs of one operator, or the graph inputs alive before the first, each tensor counted separately; no order goes below it unless tensors share bytes (views, in-place operators: see `plan`); `order` proves the minimum peak)"));
        if (table.Tflm is { } tflm) console.MarkupLine(Markup.Escape(TflmLine(tflm)));
    }

    /// <summary>TFLM's arena as one line: the kTensorArenaSize value, its parts and the TFLM commit.</summary>
    public static string TflmLine(TflmArenaFigures t) =>
        $"TFLM arena: {(t.ArenaBytes is { } total ? N(total) : "?")} bytes for kTensorArenaSize (planned head {N(t.HeadBytes)}: activations {N(t.ActivationBytes)} + scratch {N(t.ScratchBytes)}; persistent {(t.PersistentBytes is { } p ? N(p) : "?")}), TFLM {t.Commit}, model as stored, 64-bit host layout (a 32-bit MCU needs a smaller persistent section)"
        + (t.Estimate is { } e ? $"; estimate: {e}" : "");

    /// <summary>The <c>tflm_*</c> members of the JSON outputs: head, arena (kTensorArenaSize) and
    /// their breakdown, the estimate reason and the TFLM commit.</summary>
    public static void WriteTflm(Utf8JsonWriter w, TflmArenaFigures? t)
    {
        if (t is null) return;
        w.WriteNumber("tflm_head_bytes", t.HeadBytes);
        if (t.ArenaBytes is { } total) w.WriteNumber("tflm_arena_bytes", total); else w.WriteNull("tflm_arena_bytes");
        w.WriteStartObject("tflm_breakdown");
        w.WriteNumber("activation_bytes", t.ActivationBytes);
        w.WriteNumber("scratch_bytes", t.ScratchBytes);
        if (t.PersistentBytes is { } tail) w.WriteNumber("persistent_bytes", tail); else w.WriteNull("persistent_bytes");
        w.WriteEndObject();
        if (t.Estimate is { } estimate) w.WriteString("tflm_estimate", estimate); else w.WriteNull("tflm_estimate");
        w.WriteString("tflm_commit", t.Commit);
    }

    /// <summary>One object: model (file name, as in every command's JSON), operators, peak_bytes,
    /// peak_step, peak_operator, largest_operator_bytes, view, peak_tensors (name, bytes; largest first), for a TFLite model tflm_head_bytes,
    /// tflm_arena_bytes, tflm_breakdown, tflm_estimate and tflm_commit (TFLM's arena as stored), rows.</summary>
    public static string ToJson(TmmTable table, string model)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            w.WriteNumber("operators", table.Rows.Count);
            w.WriteNumber("peak_bytes", table.PeakBytes);
            w.WriteNumber("peak_step", table.PeakStep);
            w.WriteNumber("peak_operator", table.PeakOperator);
            w.WriteNumber("largest_operator_bytes", table.LargestOperatorBytes);
            w.WriteString("view", table.View);
            w.WriteStartArray("peak_tensors");
            foreach (var t in table.PeakTensors)
            {
                w.WriteStartObject();
                w.WriteString("name", t.Name);
                w.WriteNumber("bytes", t.Bytes);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            WriteTflm(w, table.Tflm);
            w.WriteStartArray("rows");
            foreach (var r in table.Rows)
            {
                w.WriteStartObject();
                w.WriteNumber("step", r.Step);
                w.WriteNumber("operator", r.Operator);
                w.WriteString("name", r.Name);
                w.WriteString("type", r.Type);
                w.WriteNumber("input_bytes", r.InputBytes);
                w.WriteNumber("output_bytes", r.OutputBytes);
                w.WriteNumber("other_bytes", r.OtherBytes);
                w.WriteNumber("total_bytes", r.TotalBytes);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string Shorten(string s) => s.Length <= 48 ? s : s[..45] + "...";
}
