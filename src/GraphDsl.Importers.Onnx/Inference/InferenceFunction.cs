namespace GraphDsl.Importers.Onnx.Inference;

/// <summary>Infers the output facts of one node (one entry per node output, in order), or
/// returns null after <see cref="InferenceContext.Fail"/> says what is missing. Functions may
/// also compute output values when the inputs' values are known (constant folding).</summary>
internal delegate TensorFacts[]? InferenceFunction(InferenceContext context);
