namespace GraphDsl.Benchmarks;

/// <summary>Finds the repository root (the folder holding GraphDsl.sln) from the working
/// directory or from the program's own folder, and the default model folder beside it.</summary>
internal static class RepositoryLocation
{
    public static string? Root { get; } = FindRoot(Environment.CurrentDirectory) ?? FindRoot(AppContext.BaseDirectory);

    /// <summary>The folder given on the command line, else the environment variable, else
    /// <c>../shared/models</c> relative to the repository root.</summary>
    public static string? ModelsFolder(string? argument)
    {
        if (!string.IsNullOrEmpty(argument)) return Path.GetFullPath(argument);
        var fromEnvironment = Environment.GetEnvironmentVariable(BenchmarkSettings.ModelsEnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
        return Root is null ? null : Path.GetFullPath(Path.Combine(Root, "..", "shared", "models"));
    }

    private static string? FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GraphDsl.sln"))) return dir.FullName;
        return null;
    }
}
