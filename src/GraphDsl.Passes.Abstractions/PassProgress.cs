namespace GraphDsl.Passes;

/// <summary>Progress of a long pass: a message and, when known, the fraction done (0..1).</summary>
public readonly record struct PassProgress(string Message, double? Fraction = null);
