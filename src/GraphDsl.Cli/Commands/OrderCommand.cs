using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GraphDsl.Analysis;
using GraphDsl.Analysis.Annotations;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Loading;
using GraphDsl.Passes;
using GraphDsl.Pipeline;

namespace GraphDsl.Cli.Commands;

/// <summary><c>graphdsl order MODEL [--budget-ms N] [--max-states N] [--json]</c>: finds the
/// execution order with the smallest activation peak and reports stored peak, found peak, lower
/// bound, whether the result is proven optimal, states explored and time. Runs the <c>order</c>
/// pass plugin through the pass manager.</summary>
public static class OrderCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("MODEL") { Description = "Model to order (.tflite, .onnx, .gdsl)." };
        var flags = new PassFlags("order");
        var budget = flags.Add<long>("budget-ms", "Time budget of the exact search in milliseconds.", OptionRules.AtLeast(0));
        var maxStates = flags.Add<long>("max-states", "Most search states kept in memory.", OptionRules.AtLeast(1));
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var dim = ModelInput.DimOption();
        var command = new Command("order", "Find the execution order with the minimum activation peak, with proof of optimality or the proven gap.")
        {
            model, budget, maxStates, json, dim,
        };
        command.SetAction(parse =>
            Run(parse.GetValue(model)!, parse.GetValue(dim), parse.GetValue(budget), parse.GetValue(maxStates), flags.Step(parse), parse.GetValue(json)));
        return command;
    }

    private static int Run(string path, string[]? dims, long? budgetMs, long? maxStates, string step, bool json)
    {
        var read = ModelInput.Load(path, dims);
        var printer = new DiagnosticPrinter(Console.Error);
        printer.Print(read.Diagnostics);
        if (!read.Succeeded) return 1;

        // The search runs as the `order` plugin under the pass manager, like any pipeline pass;
        // the command only reads back the annotations it wrote.
        var runner = new PipelineRunner
        {
            // The pass stops itself at its budget; the manager's limit is only a safety net.
            PassTimeout = TimeSpan.FromMilliseconds(budgetMs ?? 0) + PassManagerSettings.DefaultPassTimeout,
        };
        var run = runner.Run(read.Model!, read.Source,
            step, new ArtifactBuffer());
        if (run is null) return 1;
        if (!run.Succeeded) return PipelineRunner.ExitCode(run);
        var graph = run.Model.Main;
        if (OrderSearchAnnotation.Read(graph) is not { } figures)
        {
            Console.Error.WriteLine($"graphdsl: error: the order pass left no @{WellKnownAnnotations.OrderSearch} annotation");
            return 1;
        }
        var report = new OrderReport(figures, ExecutionOrder.Current(graph));
        Console.Out.Write(json ? Json(path, report) : Table(path, report));
        return 0;
    }

    /// <summary>The figures of <c>@order_search(...)</c> and the order of the <c>@order(k)</c> annotations.</summary>
    private sealed record OrderReport(OrderSearchSummary Figures, int[] Order);

    private static string Table(string path, OrderReport r)
    {
        var c = CultureInfo.InvariantCulture;
        long stored = r.Figures.StoredPeakBytes, peak = r.Figures.PeakBytes, lower = r.Figures.ProvenLowerBoundBytes, saved = stored - peak;
        var rows = new (string Name, string Value)[]
        {
            ("stored peak", stored.ToString("N0", c) + " B"),
            ("optimized peak", peak.ToString("N0", c) + " B"),
            ("saved", saved.ToString("N0", c) + " B" + (stored > 0 ? string.Create(c, $" ({100.0 * saved / stored:F1}%)") : "")),
            // The search's proven minimum over all orders, not tmm's largest single-operator footprint.
            ("proven minimum", lower.ToString("N0", c) + " B"),
            ("proven optimal", r.Figures.ProvenOptimal ? "yes" : $"no (gap {(peak - lower).ToString("N0", c)} B)"),
            ("states", r.Figures.States.ToString("N0", c)),
            ("time", r.Figures.SearchMs.ToString("N0", c) + " ms"),
        };
        var width = rows.Max(row => row.Name.Length);
        return Path.GetFileName(path) + "\n" + string.Concat(rows.Select(row => "  " + row.Name.PadRight(width) + "  " + row.Value + "\n"));
    }

    private static string Json(string path, OrderReport r)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            w.WriteString("model", Path.GetFileName(path));
            w.WriteNumber("stored_peak_bytes", r.Figures.StoredPeakBytes);
            w.WriteNumber("peak_bytes", r.Figures.PeakBytes);
            w.WriteNumber("saved_bytes", r.Figures.StoredPeakBytes - r.Figures.PeakBytes);
            w.WriteNumber("proven_lower_bound_bytes", r.Figures.ProvenLowerBoundBytes);
            w.WriteBoolean("proven_optimal", r.Figures.ProvenOptimal);
            w.WriteNumber("search_ms", (long)r.Figures.SearchMs);
            w.WriteNumber("states", r.Figures.States);
            w.WriteStartArray("order");
            foreach (var op in r.Order) w.WriteNumberValue(op);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
