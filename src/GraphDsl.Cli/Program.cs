using System.CommandLine;

namespace GraphDsl.Cli;

/// <summary>Entry point of <c>graphdsl</c>: builds the command tree and maps every outcome to an
/// exit code (0 success, 1 user error, 2 internal error) without ever showing a stack trace.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        // Piped output has no terminal width; honour COLUMNS as shells and coreutils do, so tables
        // are not wrapped at Spectre.Console's default of 80.
        if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0)
            Spectre.Console.AnsiConsole.Profile.Width = columns;
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
