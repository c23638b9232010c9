namespace GraphDsl.TestKit;

/// <summary>Finds the repository root (the folder holding GraphDsl.sln) from the test binaries.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GraphDsl.sln"))) return dir.FullName;
        throw new InvalidOperationException("GraphDsl.sln not found above " + AppContext.BaseDirectory);
    }
}
