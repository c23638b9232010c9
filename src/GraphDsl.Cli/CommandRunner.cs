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
            return root.Parse(args).Invoke(config);
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
}
