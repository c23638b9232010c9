using System.CommandLine;

namespace GraphDsl.Cli;

/// <summary>Runs a parsed command line. Unexpected exceptions become one line on stderr and exit
/// code 2 (set GRAPHDSL_DEBUG=1 to see the stack trace); Ctrl+C becomes exit code 130.</summary>
public static class CommandRunner
{
    public static int Invoke(RootCommand root, string[] args)
    {
        var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        try
        {
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0 && !args.Any(a => a is "--help" or "-h" or "-?"))
            {
                // One line per problem, naming the command; the help is one --help away.
                var command = string.Join(" ", parse.CommandResult.Command is RootCommand ? ["graphdsl"] : ["graphdsl", parse.CommandResult.Command.Name]);
                foreach (var error in parse.Errors) Console.Error.WriteLine($"{command}: error: {Plain(error.Message)}");
                Console.Error.WriteLine($"{command}: see '{command} --help'.");
                return 1;
            }
            return parse.Invoke(config);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("graphdsl: cancelled; no output was written.");
            return 130;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"graphdsl: internal error: {e.GetType().Name}: {e.Message}");
            if (Environment.GetEnvironmentVariable("GRAPHDSL_DEBUG") == "1") Console.Error.WriteLine(e);
            return 2;
        }
    }

    /// <summary>The parser's message with .NET type names said in words ("System.Int64" -> "an integer").</summary>
    private static string Plain(string message) => System.Text.RegularExpressions.Regex.Replace(message,
        @"as expected type '(System\.Nullable`1\[)?System\.(?<type>\w+)\]?'", m => m.Groups["type"].Value switch
        {
            "Int64" or "Int32" => "as an integer",
            "Double" => "as a number",
            "Boolean" => "as true or false",
            var other => "as " + other,
        });
}
