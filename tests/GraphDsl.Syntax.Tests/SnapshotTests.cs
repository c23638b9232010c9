using GraphDsl.TestKit;
using Xunit;
using Xunit.Sdk;

namespace GraphDsl.Syntax.Tests;

/// <summary>The snapshot helper fails readably and writes the received file.</summary>
public class SnapshotTests : InTempDirectory
{
    [Fact]
    public void Mismatch_writes_received_and_shows_a_diff_of_the_changed_line()
    {
        var verified = P("case.verified.gdsl");
        File.WriteAllText(verified, "a\nb\nc\nd\n");
        var e = Assert.ThrowsAny<XunitException>(() => Snapshot.Verify("a\nb\nX\nd\n", verified));
        Assert.Contains("-c\n+X\n", e.Message);
        Assert.Contains("@@ line 1 @@", e.Message);
        Assert.Equal("a\nb\nX\nd\n", File.ReadAllText(P("case.received.gdsl")));
    }

    [Fact]
    public void Missing_verified_file_fails_and_match_removes_a_stale_received_file()
    {
        var verified = P("new.verified.gdsl");
        Assert.ThrowsAny<XunitException>(() => Snapshot.Verify("x\n", verified));
        var received = Snapshot.ReceivedPathFor(verified);
        Assert.True(File.Exists(received));
        File.WriteAllText(verified, "x\r\n");
        Snapshot.Verify("x\n", verified);
        Assert.False(File.Exists(received));
    }
}
