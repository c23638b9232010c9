namespace GraphDsl.Fuzz;

/// <summary>How one input ended.</summary>
public enum Outcome
{
    /// <summary>The whole job ran and the written model re-imported and verified.</summary>
    Accepted,
    /// <summary>Refused with a clear error diagnostic (what a malformed file must get).</summary>
    Rejected,
    /// <summary>A fault of GraphDsl: see <see cref="FailureKind"/>.</summary>
    Failed,
}

/// <summary>The kinds of fault issue #17 counts as failures.</summary>
public enum FailureKind
{
    None,
    /// <summary>An exception escaped a front end, pass or writer (in the CLI: exit code 2).</summary>
    Exception,
    /// <summary>A diagnostic that reports a GraphDsl fault instead of a problem of the input: a
    /// pass threw (GD9009), broke the contract (GD3007) or left invalid IR (GD3008).</summary>
    InternalError,
    /// <summary>The input ran longer than the time limit (10 s).</summary>
    Timeout,
    /// <summary>The input made the process grow by more than the memory limit (1 GiB).</summary>
    Memory,
    /// <summary>The job succeeded but what it wrote does not re-import and verify.</summary>
    BadOutput,
    /// <summary>The process died (stack overflow, native crash): seen by the supervisor only.</summary>
    Crash,
    /// <summary>The CLI exited with a code other than 0 or 1, or printed a stack trace.</summary>
    ExitCode,
}

/// <summary>The result of one input: outcome, the stage that decided it (import, stored, optimize,
/// plan, reimport...) and a one-line reason. <see cref="Signature"/> groups failures of the same
/// fault for minimization.</summary>
public sealed record Verdict(Outcome Outcome, string Stage, string Reason, FailureKind Kind = FailureKind.None)
{
    public static Verdict Accepted(string stage = "reimport") => new(Outcome.Accepted, stage, "");
    public static Verdict Rejected(string stage, string reason) => new(Outcome.Rejected, stage, reason);
    public static Verdict Failure(FailureKind kind, string stage, string reason) => new(Outcome.Failed, stage, reason, kind);

    public bool IsFailure => Outcome == Outcome.Failed;


    /// <summary>Kind, stage and the reason's first words (exception type or diagnostic ID), without
    /// the input-specific rest (names, numbers).</summary>
    public string Signature
    {
        get
        {
            var at = Reason.LastIndexOf(" at ", StringComparison.Ordinal);
            var exception = System.Text.RegularExpressions.Regex.Match(Reason, @"\b\w+Exception\b").Value;
            return $"{Kind}/{Stage}/{Reason.Split(':', 2)[0]}/{exception}{(at >= 0 ? Reason[at..] : "")}";
        }
    }

    public override string ToString() => IsFailure ? $"FAILED {Kind} at {Stage}: {Reason}" : $"{Outcome} at {Stage}{(Reason.Length > 0 ? ": " + Reason : "")}";
}
