using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Loading;
using GraphDsl.Scheduling;

namespace GraphDsl.Cli.Commands;

/// <summary><c>graphdsl order MODEL [--budget-ms N] [--max-states N] [--json]</c>: finds the
/// execution order with the smallest activation peak and reports stored peak, found peak, lower
/// bound, whether the result is proven optimal, states explored and time.</summary>
public static class OrderCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("MODEL") { Description = "Model to order (.tflite, .onnx, .gdsl)." };
        var budget = new Option<long>("--budget-ms") { Description = "Time budget of the exact search in milliseconds.", DefaultValueFactory = _ => 10000 };
        var maxStates = new Option<long>("--max-states") { Description = "Most search states kept in memory.", DefaultValueFactory = _ => 2_000_000 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var command = new Command("order", "Find the execution order with the minimum activation peak, with proof of optimality or the proven gap.")
        {
            model, budget, maxStates, json,
        };
        command.SetAction((parse, cancellation) => Task.FromResult(
            Run(parse.GetValue(model)!, parse.GetValue(budget), parse.GetValue(maxStates), parse.GetValue(json), cancellation)));
        return command;
    }

    private static int Run(string path, long budgetMs, long maxStates, bool json, CancellationToken cancellation)
    {
        if (budgetMs < 0 || maxStates < 1)
        {
            Console.Error.WriteLine("graphdsl: error: --budget-ms must be >= 0 and --max-states >= 1");
            return 1;
        }
        var read = ModelLoader.Load(path);
        var printer = new DiagnosticPrinter(Console.Error);
        printer.Print(read.Diagnostics);
        if (!read.Succeeded) return 1;
        var graph = read.Model!.Main;
        var errors = new List<Diagnostic>();
        var problem = OrderSearchDiagnostics.CreateProblem(graph, errors.Add);
        printer.Print(errors);
        if (problem is null) return 1;

        var result = OrderSearch.Run(problem, new OrderSearchOptions
        {
            TimeBudget = TimeSpan.FromMilliseconds(budgetMs),
            MaxStates = maxStates,
            Cancellation = cancellation,
        });
        cancellation.ThrowIfCancellationRequested();
        if (OrderSearchDiagnostics.ForResult(graph, result) is { } diagnostic)
        {
            printer.Print([diagnostic]);
            if (diagnostic.Severity == Severity.Error) return 1;
        }
        Console.Out.Write(json ? Json(path, result) : Table(path, result));
        return 0;
    }

    private static string Table(string path, OrderSearchResult r)
    {
        var c = CultureInfo.InvariantCulture;
        var rows = new (string Name, string Value)[]
        {
            ("stored peak", r.StoredPeakBytes.ToString("N0", c) + " B"),
            ("optimized peak", r.PeakBytes.ToString("N0", c) + " B"),
            ("saved", r.SavedBytes.ToString("N0", c) + " B" + (r.StoredPeakBytes > 0 ? $" ({100.0 * r.SavedBytes / r.StoredPeakBytes:F1}%)".Replace(',', '.') : "")),
            ("lower bound", r.LowerBoundBytes.ToString("N0", c) + " B"),
            ("proven optimal", r.ProvenOptimal ? "yes" : $"no ({r.Outcome}, gap {r.GapBytes.ToString("N0", c)} B)"),
            ("states", r.States.ToString(c)),
            ("time", r.Elapsed.TotalMilliseconds.ToString("F0", c) + " ms"),
        };
        var width = rows.Max(row => row.Name.Length);
        return Path.GetFileName(path) + "\n" + string.Concat(rows.Select(row => "  " + row.Name.PadRight(width) + "  " + row.Value + "\n"));
    }

    private static string Json(string path, OrderSearchResult r)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            w.WriteString("model", path);
            w.WriteNumber("stored_peak_bytes", r.StoredPeakBytes);
            w.WriteNumber("peak_bytes", r.PeakBytes);
            w.WriteNumber("saved_bytes", r.SavedBytes);
            w.WriteNumber("lower_bound_bytes", r.LowerBoundBytes);
            w.WriteBoolean("proven_optimal", r.ProvenOptimal);
            w.WriteString("outcome", r.Outcome.ToString());
            w.WriteNumber("search_ms", Math.Round(r.Elapsed.TotalMilliseconds, 1));
            w.WriteNumber("states", r.States);
            w.WriteStartArray("order");
            foreach (var op in r.Order) w.WriteNumberValue(op);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
