namespace GraphDsl.Importers.Tflite.Schema;

/// <summary>The tables of the TFLite <c>BuiltinOptions</c> union (schema.fbs), indexed by union
/// type (1-based; 0 is NONE), with their fields in field-id order.</summary>
/// <remarks>Each field is written <c>name:kind[=default]</c>: <c>i32 u32 i64 f32 bool</c> scalars,
/// <c>pad</c> (Padding), <c>act</c> (ActivationFunctionType), <c>tt</c> (TensorType), <c>enum(A|B)</c>
/// for other byte enums, <c>i32[] f32[] str</c> for fields stored behind an offset, and
/// <c>deprecated32</c> for a removed 4-byte field that still occupies its id. Every table of the
/// union is listed; tables with an empty field list hold no fields in the schema. The same
/// descriptions drive the importer (typed attributes) and the lowering rewriter (which fields are
/// offsets that must be re-created, and which are scalars that can be copied).</remarks>
internal static class BuiltinOptionsTables
{
    private static readonly OptionsTable[] Tables =
    [
        new("Conv2DOptions", "padding:pad stride_w:i32 stride_h:i32 fused_activation_function:act dilation_w_factor:i32=1 dilation_h_factor:i32=1 quantized_bias_type:tt"),
        new("DepthwiseConv2DOptions", "padding:pad stride_w:i32 stride_h:i32 depth_multiplier:i32 fused_activation_function:act dilation_w_factor:i32=1 dilation_h_factor:i32=1"),
        new("ConcatEmbeddingsOptions", "num_channels:i32 num_columns_per_channel:i32[] embedding_dim_per_channel:i32[]"),
        new("LSHProjectionOptions", "type:enum(UNKNOWN|SPARSE|DENSE)"),
        new("Pool2DOptions", "padding:pad stride_w:i32 stride_h:i32 filter_width:i32 filter_height:i32 fused_activation_function:act"),
        new("SVDFOptions", "rank:i32 fused_activation_function:act asymmetric_quantize_inputs:bool"),
        new("RNNOptions", "fused_activation_function:act asymmetric_quantize_inputs:bool"),
        new("FullyConnectedOptions", "fused_activation_function:act weights_format:enum(DEFAULT|SHUFFLED4x16INT8) keep_num_dims:bool asymmetric_quantize_inputs:bool quantized_bias_type:tt"),
        new("SoftmaxOptions", "beta:f32"),
        new("ConcatenationOptions", "axis:i32 fused_activation_function:act"),
        new("AddOptions", "fused_activation_function:act pot_scale_int16:bool=1"),
        new("L2NormOptions", "fused_activation_function:act"),
        new("LocalResponseNormalizationOptions", "radius:i32 bias:f32 alpha:f32 beta:f32"),
        new("LSTMOptions", "fused_activation_function:act cell_clip:f32 proj_clip:f32 kernel_type:enum(FULL|BASIC) asymmetric_quantize_inputs:bool"),
        new("ResizeBilinearOptions", "new_height:deprecated32 new_width:deprecated32 align_corners:bool half_pixel_centers:bool"),
        new("CallOptions", "subgraph:u32"),
        new("ReshapeOptions", "new_shape:i32[]"),
        new("SkipGramOptions", "ngram_size:i32 max_skip_size:i32 include_all_ngrams:bool"),
        new("SpaceToDepthOptions", "block_size:i32"),
        new("EmbeddingLookupSparseOptions", "combiner:enum(SUM|MEAN|SQRTN)"),
        new("MulOptions", "fused_activation_function:act"),
        new("PadOptions", ""),
        new("GatherOptions", "axis:i32 batch_dims:i32"),
        new("BatchToSpaceNDOptions", ""),
        new("SpaceToBatchNDOptions", ""),
        new("TransposeOptions", ""),
        new("ReducerOptions", "keep_dims:bool"),
        new("SubOptions", "fused_activation_function:act pot_scale_int16:bool=1"),
        new("DivOptions", "fused_activation_function:act"),
        new("SqueezeOptions", "squeeze_dims:i32[]"),
        new("SequenceRNNOptions", "time_major:bool fused_activation_function:act asymmetric_quantize_inputs:bool"),
        new("StridedSliceOptions", "begin_mask:i32 end_mask:i32 ellipsis_mask:i32 new_axis_mask:i32 shrink_axis_mask:i32 offset:bool"),
        new("ExpOptions", ""),
        new("TopKV2Options", ""),
        new("SplitOptions", "num_splits:i32"),
        new("LogSoftmaxOptions", ""),
        new("CastOptions", "in_data_type:tt out_data_type:tt"),
        new("DequantizeOptions", ""),
        new("MaximumMinimumOptions", ""),
        new("ArgMaxOptions", "output_type:tt"),
        new("LessOptions", ""),
        new("NegOptions", ""),
        new("PadV2Options", ""),
        new("GreaterOptions", ""),
        new("GreaterEqualOptions", ""),
        new("LessEqualOptions", ""),
        new("SelectOptions", ""),
        new("SliceOptions", ""),
        new("TransposeConvOptions", "padding:pad stride_w:i32 stride_h:i32 fused_activation_function:act quantized_bias_type:tt"),
        new("SparseToDenseOptions", "validate_indices:bool"),
        new("TileOptions", ""),
        new("ExpandDimsOptions", ""),
        new("EqualOptions", ""),
        new("NotEqualOptions", ""),
        new("ShapeOptions", "out_type:tt"),
        new("PowOptions", ""),
        new("ArgMinOptions", "output_type:tt"),
        new("FakeQuantOptions", "min:f32 max:f32 num_bits:i32 narrow_range:bool"),
        new("PackOptions", "values_count:i32 axis:i32"),
        new("LogicalOrOptions", ""),
        new("OneHotOptions", "axis:i32"),
        new("LogicalAndOptions", ""),
        new("LogicalNotOptions", ""),
        new("UnpackOptions", "num:i32 axis:i32"),
        new("FloorDivOptions", ""),
        new("SquareOptions", ""),
        new("ZerosLikeOptions", ""),
        new("FillOptions", ""),
        new("BidirectionalSequenceLSTMOptions", "fused_activation_function:act cell_clip:f32 proj_clip:f32 merge_outputs:bool time_major:bool=1 asymmetric_quantize_inputs:bool"),
        new("BidirectionalSequenceRNNOptions", "time_major:bool fused_activation_function:act merge_outputs:bool asymmetric_quantize_inputs:bool"),
        new("UnidirectionalSequenceLSTMOptions", "fused_activation_function:act cell_clip:f32 proj_clip:f32 time_major:bool asymmetric_quantize_inputs:bool diagonal_recurrent_tensors:bool"),
        new("FloorModOptions", ""),
        new("RangeOptions", ""),
        new("ResizeNearestNeighborOptions", "align_corners:bool half_pixel_centers:bool"),
        new("LeakyReluOptions", "alpha:f32"),
        new("SquaredDifferenceOptions", ""),
        new("MirrorPadOptions", "mode:enum(REFLECT|SYMMETRIC)"),
        new("AbsOptions", ""),
        new("SplitVOptions", "num_splits:i32"),
        new("UniqueOptions", "idx_out_type:tt=2"),
        new("ReverseV2Options", ""),
        new("AddNOptions", ""),
        new("GatherNdOptions", ""),
        new("CosOptions", ""),
        new("WhereOptions", ""),
        new("RankOptions", ""),
        new("ReverseSequenceOptions", "seq_dim:i32 batch_dim:i32"),
        new("MatrixDiagOptions", ""),
        new("QuantizeOptions", ""),
        new("MatrixSetDiagOptions", ""),
        new("HardSwishOptions", ""),
        new("IfOptions", "then_subgraph_index:i32 else_subgraph_index:i32"),
        new("WhileOptions", "cond_subgraph_index:i32 body_subgraph_index:i32"),
        new("DepthToSpaceOptions", "block_size:i32"),
        new("NonMaxSuppressionV4Options", ""),
        new("NonMaxSuppressionV5Options", ""),
        new("ScatterNdOptions", ""),
        new("SelectV2Options", ""),
        new("DensifyOptions", ""),
        new("SegmentSumOptions", ""),
        new("BatchMatMulOptions", "adj_x:bool adj_y:bool asymmetric_quantize_inputs:bool"),
        new("CumsumOptions", "exclusive:bool reverse:bool"),
        new("CallOnceOptions", "init_subgraph_index:i32"),
        new("BroadcastToOptions", ""),
        new("Rfft2dOptions", ""),
        new("Conv3DOptions", "padding:pad stride_d:i32 stride_w:i32 stride_h:i32 fused_activation_function:act dilation_d_factor:i32=1 dilation_w_factor:i32=1 dilation_h_factor:i32=1"),
        new("HashtableOptions", "table_id:i32 key_dtype:tt value_dtype:tt"),
        new("HashtableFindOptions", ""),
        new("HashtableImportOptions", ""),
        new("HashtableSizeOptions", ""),
        new("VarHandleOptions", "container:str shared_name:str"),
        new("ReadVariableOptions", ""),
        new("AssignVariableOptions", ""),
        new("RandomOptions", "seed:i64 seed2:i64"),
        new("BucketizeOptions", "boundaries:f32[]"),
        new("GeluOptions", "approximate:bool"),
        new("DynamicUpdateSliceOptions", ""),
        new("UnsortedSegmentProdOptions", ""),
        new("UnsortedSegmentMaxOptions", ""),
        new("UnsortedSegmentMinOptions", ""),
        new("UnsortedSegmentSumOptions", ""),
        new("ATan2Options", ""),
        new("SignOptions", ""),
        new("BitcastOptions", ""),
        new("BitwiseXorOptions", ""),
        new("RightShiftOptions", ""),
    ];

    /// <summary>The options table of each operator that has one, for operators a pass creates (an
    /// operator copied from a model keeps the union type it had there). From schema.fbs's
    /// comments on <c>BuiltinOptions</c> and TFLite's flatbuffer_conversions.cc (which table each
    /// operator's parser reads).</summary>
    private static readonly Dictionary<string, string> TableOfOperator = new(StringComparer.Ordinal)
    {
        ["CONV_2D"] = "Conv2DOptions", ["DEPTHWISE_CONV_2D"] = "DepthwiseConv2DOptions",
        ["AVERAGE_POOL_2D"] = "Pool2DOptions", ["MAX_POOL_2D"] = "Pool2DOptions", ["L2_POOL_2D"] = "Pool2DOptions",
        ["FULLY_CONNECTED"] = "FullyConnectedOptions", ["SOFTMAX"] = "SoftmaxOptions",
        ["CONCATENATION"] = "ConcatenationOptions", ["ADD"] = "AddOptions", ["SUB"] = "SubOptions",
        ["MUL"] = "MulOptions", ["DIV"] = "DivOptions", ["RESHAPE"] = "ReshapeOptions",
        ["PAD"] = "PadOptions", ["PADV2"] = "PadV2Options", ["MIRROR_PAD"] = "MirrorPadOptions",
        ["SLICE"] = "SliceOptions", ["STRIDED_SLICE"] = "StridedSliceOptions", ["TRANSPOSE"] = "TransposeOptions",
        ["MEAN"] = "ReducerOptions", ["SUM"] = "ReducerOptions", ["REDUCE_MAX"] = "ReducerOptions",
        ["REDUCE_MIN"] = "ReducerOptions", ["REDUCE_PROD"] = "ReducerOptions",
        ["SQUEEZE"] = "SqueezeOptions", ["SPLIT"] = "SplitOptions", ["SPLIT_V"] = "SplitVOptions",
        ["QUANTIZE"] = "QuantizeOptions", ["DEQUANTIZE"] = "DequantizeOptions", ["HARD_SWISH"] = "HardSwishOptions",
        ["LEAKY_RELU"] = "LeakyReluOptions", ["MAXIMUM"] = "MaximumMinimumOptions", ["MINIMUM"] = "MaximumMinimumOptions",
        ["PACK"] = "PackOptions", ["UNPACK"] = "UnpackOptions", ["GATHER"] = "GatherOptions",
        ["RESIZE_BILINEAR"] = "ResizeBilinearOptions", ["RESIZE_NEAREST_NEIGHBOR"] = "ResizeNearestNeighborOptions",
        ["TRANSPOSE_CONV"] = "TransposeConvOptions", ["EXPAND_DIMS"] = "ExpandDimsOptions", ["CAST"] = "CastOptions",
        ["DEPTH_TO_SPACE"] = "DepthToSpaceOptions", ["SPACE_TO_DEPTH"] = "SpaceToDepthOptions",
        ["SQUARED_DIFFERENCE"] = "SquaredDifferenceOptions", ["ABS"] = "AbsOptions", ["NEG"] = "NegOptions",
        ["EXP"] = "ExpOptions", ["LOG_SOFTMAX"] = "LogSoftmaxOptions", ["ARG_MAX"] = "ArgMaxOptions", ["ARG_MIN"] = "ArgMinOptions",
        ["GELU"] = "GeluOptions",
    };

    /// <summary>Union type (1-based) of the table named <paramref name="tableName"/>, or 0.</summary>
    public static int UnionTypeOf(string tableName) => Array.FindIndex(Tables, t => t.Name == tableName) + 1;

    /// <summary>The union type of the options an operator of type <paramref name="opType"/> carries
    /// when a pass creates it, or 0 (none / unknown).</summary>
    public static int DefaultUnionTypeOf(string opType) =>
        TableOfOperator.TryGetValue(opType, out var table) ? UnionTypeOf(table) : 0;

    /// <summary>The table description of union type <paramref name="unionType"/>, or null when unknown.</summary>
    public static OptionsTable? Of(int unionType) =>
        unionType >= 1 && unionType <= Tables.Length ? Tables[unionType - 1] : null;
}
