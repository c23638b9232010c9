using GraphDsl.Reports;
using GraphDsl.Analysis;
using GraphDsl.TestKit;
using System.Text.RegularExpressions;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Reports.Html;
using Xunit;

namespace GraphDsl.Lowering.Tests;

public sealed class HtmlReportTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static string Render()
    {
        var cell = PlannedGraphs.InceptionCell();
        var stored = PlannedGraphs.PlanStored(cell);
        var plan = LoweringPlan.TryRead(PlannedGraphs.Plan(cell, [0, 2, 3, 4, 1, 5, 6]), null, new DiagnosticBag())!;
        var summary = OptimizationSummary.Compute("inception_cell.gdsl", stored, plan.Graph);
        return HtmlReport.Render(summary, stored, plan);
    }

    [Fact]
    public void Page_is_self_contained_and_shows_every_part()
    {
        var html = Render();
        Assert.DoesNotMatch(new Regex("https?://", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotMatch(new Regex(@"(src|href)\s*=", RegexOptions.IgnoreCase), html);
        foreach (var part in new[] { "Before / after", "Memory per operator", "Arena layout", "Schedule", "peak " })
            Assert.Contains(part, html);
        // Four charts: memory before and after, arena before and after.
        Assert.Equal(4, Regex.Matches(html, "<svg ").Count);
        // One arena rectangle per activation tensor in each layout.
        Assert.Equal(2 * 8, Regex.Matches(html, "class=\"tensor\"").Count);
        Assert.All(html, c => Assert.True(c < 128 || char.IsLetterOrDigit(c), "unexpected character"));
    }

    [SkippableFact]
    public void Headless_Chromium_renders_the_page_to_a_screenshot()
    {
        Skip.If(chromium.Path is null, chromium.Problem);
        var dir = Directory.CreateTempSubdirectory("graphdsl-report-").FullName;
        try
        {
            var page = System.IO.Path.Combine(dir, "report.html");
            var png = System.IO.Path.Combine(dir, "shot.png");
            File.WriteAllText(page, Render());
            var run = ExternalProcess.Run(chromium.Path!,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + System.IO.Path.Combine(dir, "profile"),
                "--screenshot=" + png, "--window-size=1280,2000", new Uri(page).AbsoluteUri,
            ], TimeSpan.FromMinutes(2));
            Assert.True(File.Exists(png), "no screenshot: " + run);
            var bytes = File.ReadAllBytes(png);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
            // A blank 1280x2000 page compresses to a few KB; charts and tables make it far larger.
            Assert.True(bytes.Length > 30_000, $"screenshot is only {bytes.Length} bytes");
            var keep = Environment.GetEnvironmentVariable("GRAPHDSL_KEEP_SCREENSHOT");
            if (!string.IsNullOrEmpty(keep)) File.Copy(png, keep, overwrite: true);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
