using System.CommandLine;
using System.Text;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Loading;
using GraphDsl.Pipeline;

namespace GraphDsl.Cli.Commands;

/// <summary><c>graphdsl passes [--plugins DIR]</c>: every pass found (built-in plugins and extra
/// plugin folders), with its summary, options, capabilities, diagnostics and where it came from.
/// Plugins that fail to load are reported by folder (exit code 1).</summary>
public static class PassesCommand
{
    public static Command Create()
    {
        var options = new PipelineCommandOptions();
        var command = new Command("passes", "List every pass found, with its options and where it came from.");
        command.Options.Add(options.Plugins);
        command.SetAction(parse =>
        {
            var bag = new DiagnosticBag();
            var catalog = options.CreateRunner(parse).LoadCatalog(bag);
            new DiagnosticPrinter(Console.Error).Print(bag);
            // A plugin folder that failed to load (missing, unreadable) is an error, not a list
            // that silently lacks its passes.
            if (bag.HasErrors) return 1;
            Console.Out.Write(Describe(catalog));
            return 0;
        });
        return command;
    }

    public static string Describe(PassCatalog catalog)
    {
        var sb = new StringBuilder();
        if (catalog.Passes.Count == 0) sb.Append("no passes found (built-in plugin folder: ").Append(PipelineRunner.BuiltInPluginDirectory).Append(")\n");
        foreach (var p in catalog.Passes.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var d = p.Descriptor;
            sb.Append(d.Name).Append("  (").Append(d.Kind.ToString().ToLowerInvariant()).Append(")  ").Append(d.Summary).Append('\n');
            foreach (var o in d.Options)
                sb.Append("    ").Append(o.Name).Append('=').Append(PassOptionTypes.Describe(o.ValueType))
                  .Append("  default ").Append(PassOptionTypes.Format(o.Default)).Append("  ").Append(o.Help).Append('\n');
            if (d.Requires.Count > 0) sb.Append("    requires: ").AppendJoin(", ", d.Requires).Append('\n');
            if (d.Provides.Count > 0) sb.Append("    provides: ").AppendJoin(", ", d.Provides).Append('\n');
            if (d.Reports.Count > 0) sb.Append("    reports: ").AppendJoin(", ", d.Reports.Select(r => r.Id)).Append('\n');
            sb.Append("    from: ").Append(p.Source).Append('\n');
        }
        return sb.ToString();
    }
}
