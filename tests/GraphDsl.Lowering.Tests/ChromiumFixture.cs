using GraphDsl.TestKit;
namespace GraphDsl.Lowering.Tests;

/// <summary>Finds Debian's headless Chromium, installing it once with apt-get when absent (the
/// report test needs a real browser). <see cref="Path"/> stays null, with the reason in
/// <see cref="Problem"/>, when that is not possible; the test then skips loudly.</summary>
public sealed class ChromiumFixture
{
    public ChromiumFixture()
    {
        Path = Locate();
        if (Path is not null) return;
        var update = ExternalProcess.Run("apt-get", ["update"], TimeSpan.FromMinutes(5));
        var install = update.ExitCode == 0
            ? ExternalProcess.Run("apt-get", ["install", "-y", "chromium"], TimeSpan.FromMinutes(9))
            : update;
        Path = Locate();
        if (Path is null) Problem = "CHROMIUM NOT AVAILABLE and 'apt-get install -y chromium' failed: " + install.StdErr.Trim();
    }

    public string? Path { get; }

    public string? Problem { get; }

    private static string? Locate() => ExternalProcess.Find("chromium") ?? ExternalProcess.Find("chromium-browser");
}
