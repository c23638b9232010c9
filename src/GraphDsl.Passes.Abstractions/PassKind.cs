namespace GraphDsl.Passes;

/// <summary>What a pass does to the model: only annotates it, changes it, or writes artifacts.</summary>
public enum PassKind { Analysis, Transform, Lowering }
