using System.CommandLine;

namespace GraphDsl.Cli;

/// <summary>Entry point of <c>graphdsl</c>: builds the command tree and maps every outcome to an
/// exit code (0 success, 1 user error, 2 internal error) without ever showing a stack trace.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("GraphDsl: fit neural-network graphs into microcontroller SRAM by choosing the execution order and arena layout with the smallest peak.");
        // One line per command; each command lives in Commands/<Name>Command.cs.
        root.Subcommands.Add(Commands.CheckCommand.Create());
        root.Subcommands.Add(Commands.PrintCommand.Create());
        root.Subcommands.Add(Commands.ImportCommand.Create());
        root.Subcommands.Add(Commands.OptimizeCommand.Create());
        root.Subcommands.Add(Commands.PassesCommand.Create());
        root.Subcommands.Add(Commands.RunCommand.Create());
        root.Subcommands.Add(Commands.TmmCommand.Create());
        root.Subcommands.Add(Commands.OrderCommand.Create());
        root.Subcommands.Add(Commands.PlanCommand.Create());
        return CommandRunner.Invoke(root, args);
    }
}
