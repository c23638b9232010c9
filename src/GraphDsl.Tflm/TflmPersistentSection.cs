using GraphDsl.Analysis;
using GraphDsl.Ir;

namespace GraphDsl.Tflm;

/// <summary>The persistent section (tail): every buffer that <c>GetPersistentUsedBytes()</c>
/// counts after <c>MicroInterpreter::AllocateTensors()</c>, in the order TFLM allocates them.</summary>
/// <remarks>
/// The tail grows downward from the (16-byte aligned) end of the arena:
/// <c>SingleArenaBufferAllocator::AllocatePersistentBuffer</c> moves it to
/// <c>AlignPointerDown(tail - size, alignment)</c>, so each allocation takes its size plus the
/// padding that brings the running total up to a multiple of its alignment. Order and sizes
/// (micro_allocator.cc, micro_interpreter.cc, micro_interpreter_graph.cc, kernels/*.cc):
/// <list type="number">
/// <item>the allocator objects, as <c>MicroAllocator::Create(arena, size)</c> makes them:
/// <c>SingleArenaBufferAllocator</c>, <c>GreedyMemoryPlanner</c>, <c>MicroAllocator</c>;</item>
/// <item><c>StartModelAllocation</c>: <c>MicroBuiltinDataAllocator</c>, one
/// <c>SubgraphAllocations</c> per subgraph, then per subgraph a <c>TfLiteEvalTensor</c> per
/// tensor, then per subgraph a <c>NodeAndRegistration</c> per operator;</item>
/// <item>every builtin operator's builtin data (its parser, <see cref="TflmKernelDataTable"/>),
/// subgraph by subgraph in stored order;</item>
/// <item>every kernel's Init (op data, 16-byte aligned), then every kernel's Prepare
/// (per-channel multipliers and shifts of CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV and
/// per-channel FULLY_CONNECTED; int16 SOFTMAX look-up tables; output dims made writable);</item>
/// <item><c>FinishModelAllocation</c>: one <c>ScratchBufferHandle</c> per scratch request, then
/// the buffers of variable tensors without an offline offset (16-byte aligned);</item>
/// <item>the interpreter's input and output <c>TfLiteTensor</c>s: an array of pointers, then per
/// tensor a <c>TfLiteTensor</c> and, when quantized, a <c>TfLiteAffineQuantization</c> and a
/// zero-point <c>TfLiteIntArray</c> of one int per channel.</item>
/// </list>
/// Struct sizes depend on <see cref="TflmTarget.PointerBytes"/>; the kernels' on the table.
/// </remarks>
internal static class TflmPersistentSection
{
    /// <summary>MicroArenaBufferAlignment() (micro_arena_constants.h): op data, variables and
    /// the interpreter's tensor arrays go through <c>MicroAllocator::AllocatePersistentBuffer</c>.</summary>
    private const int BufferAlignment = TflmCalibration.ArenaAlignment;

    /// <summary>The tail's allocations for <paramref name="model"/>, grouped into items, and their
    /// total; the total is null only when nothing could be said (never for a TFLite model).</summary>
    public static (long? Bytes, IReadOnlyList<TflmTailItem> Items) Compute(Model model, int[][] orders,
        IReadOnlyList<long?>? offlineOffsets, int scratchCount, TflmTarget target, List<TflmEstimateReason> estimates)
    {
        var tail = new Tail();
        int p = target.PointerBytes;
        var graphs = model.Graphs;

        // micro_allocator.cc MicroAllocator::Create(arena, size, kGreedy).
        tail.Add("SingleArenaBufferAllocator", Layout.SingleArenaBufferAllocator(p), p);
        tail.Add("GreedyMemoryPlanner", Layout.GreedyMemoryPlanner(p), p);
        tail.Add("MicroAllocator", Layout.MicroAllocator(p), p);

        // The application's MicroResourceVariables (micro_resource_variable.cc Create), one slot
        // per VAR_HANDLE as tools/tflm-runner sizes it; the variables' buffers come in Prepare.
        int handles = graphs.Sum(g => g.Operators.Count(o => o.OpType == "VAR_HANDLE"));
        if (handles > 0)
        {
            tail.Add("MicroResourceVariables", 2 * p, BufferAlignment, group: "resource variables");
            tail.Add($"MicroResourceVariable[{handles}]", handles * Layout.MicroResourceVariable(p), BufferAlignment, group: "resource variables");
        }

        // StartModelAllocation.
        tail.Add("MicroBuiltinDataAllocator", 2 * p, p);
        tail.Add($"SubgraphAllocations[{graphs.Count}]", graphs.Count * 2 * p, p);
        for (int g = 0; g < graphs.Count; g++)
            tail.Add($"TfLiteEvalTensor[{graphs[g].Tensors.Count}] (subgraph {g})", graphs[g].Tensors.Count * Layout.TfLiteEvalTensor(p), p, group: "TfLiteEvalTensor arrays");
        for (int g = 0; g < graphs.Count; g++)
            tail.Add($"NodeAndRegistration[{graphs[g].Operators.Count}] (subgraph {g})", graphs[g].Operators.Count * Layout.NodeAndRegistration(p), p, group: "NodeAndRegistration arrays");

        // micro_interpreter.cc PrepareNodeAndRegistrationDataFromFlatbuffer: builtin data.
        var kernels = new TflmKernelSizes?[graphs.Count][];
        for (int g = 0; g < graphs.Count; g++)
        {
            kernels[g] = new TflmKernelSizes?[graphs[g].Operators.Count];
            foreach (int i in orders[g])
            {
                var op = graphs[g].Operators[i];
                var sizes = KernelSizes(op, target, $"subgraph{g}/op{i}", estimates);
                kernels[g][i] = sizes;
                if (sizes is { ParamsBytes: > 0 })
                    tail.Add($"{TflmKernelDataTable.ByOpType[op.OpType].ParamsStruct} ({op.OpType})", sizes.ParamsBytes, sizes.ParamsAlignment, group: "builtin data");
            }
        }

        // micro_interpreter_graph.cc InitSubgraphs, then PrepareSubgraphs.
        for (int g = 0; g < graphs.Count; g++)
            foreach (int i in orders[g])
                if (kernels[g][i] is { InitBytes: > 0 } sizes)
                    tail.Add($"{TflmKernelDataTable.ByOpType[graphs[g].Operators[i].OpType].InitStruct} ({graphs[g].Operators[i].OpType})", sizes.InitBytes, BufferAlignment, group: "kernel op data (Init)");
        for (int g = 0; g < graphs.Count; g++)
            foreach (int i in orders[g])
                foreach (var (what, bytes) in PrepareAllocations(graphs[g], graphs[g].Operators[i], $"subgraph{g}/op{i}", estimates))
                    tail.Add(what, bytes, BufferAlignment, group: "kernel Prepare (per-channel quantization, look-up tables, dims)");

        // FinishModelAllocation: AllocateScratchBufferHandles, then AllocateVariables.
        if (scratchCount > 0) tail.Add($"ScratchBufferHandle[{scratchCount}]", scratchCount * (long)p, p);
        int first = 0;
        for (int g = 0; g < graphs.Count; g++)
        {
            for (int t = 0; t < graphs[g].Tensors.Count; t++)
            {
                var tensor = graphs[g].Tensors[t];
                if (tensor.Kind != TensorKind.Variable || offlineOffsets?[first + t] is not null) continue;
                if (RuntimeTensorBytes.Of(tensor.Type) is { } bytes)
                    tail.Add($"variable '{tensor.Name}'", bytes, BufferAlignment, group: "variable tensors");
                else
                    estimates.Add(new TflmEstimateReason("variable", $"subgraph{g}/tensor{t}", $"variable tensor '{tensor.Name}' has no size TFLM can compute; counted as 0 B"));
            }
            first += graphs[g].Tensors.Count;
        }

        // micro_interpreter.cc AllocateTensors: input_tensors_, then output_tensors_.
        var main = graphs[0];
        InterfaceTensors(tail, main, main.Inputs, "input", p);
        InterfaceTensors(tail, main, main.Outputs, "output", p);
        return (tail.Bytes, tail.Items());
    }

    private static void InterfaceTensors(Tail tail, Graph graph, IReadOnlyList<string> names, string role, int p)
    {
        string group = $"{role} TfLiteTensors";
        tail.Add($"TfLiteTensor*[{names.Count}] ({role}s)", names.Count * (long)p, BufferAlignment, group);
        foreach (var name in names)
        {
            tail.Add($"TfLiteTensor '{name}'", Layout.TfLiteTensor(p), p, group);
            // InitializeTfLiteTensorFromFlatbuffer: only with scales and zero points.
            if (graph.FindTensor(name)?.Quantization is { Scales.Count: > 0 } q)
            {
                tail.Add($"TfLiteAffineQuantization '{name}'", Layout.TfLiteAffineQuantization(p), p, group);
                tail.Add($"TfLiteIntArray[{q.Scales.Count}] zero points '{name}'", 4 + 4L * q.Scales.Count, 4, group);
            }
        }
    }

    /// <summary>The kernel table's sizes for <paramref name="op"/>, or null (an estimate named
    /// in <paramref name="estimates"/>) when its kernel is not modelled.</summary>
    private static TflmKernelSizes? KernelSizes(Operator op, TflmTarget target, string where, List<TflmEstimateReason> estimates)
    {
        string label = TflmArenaModel.OperatorLabel(op);
        if (op.OpType == "CUSTOM" || !TflmKernelDataTable.ByOpType.TryGetValue(op.OpType, out var data))
        {
            estimates.Add(new TflmEstimateReason(label, where, "its kernel's persistent data is not modelled; counted as 0 B"));
            return null;
        }
        var sizes = target.PointerBytes == 8 ? data.Host64 : data.Host32;
        if (sizes is null)
            estimates.Add(new TflmEstimateReason(label, where, $"the {target} sizes of its builtin and op data are not known; counted as 0 B"));
        return sizes;
    }

    /// <summary>What <paramref name="op"/>'s Prepare allocates in the tail, read from its kernel.</summary>
    private static IEnumerable<(string What, long Bytes)> PrepareAllocations(Graph graph, Operator op, string where, List<TflmEstimateReason> estimates)
    {
        Tensor? Input(int i) => i < op.Inputs.Count && op.Inputs[i] is { } n ? graph.FindTensor(n) : null;
        Tensor? Output(int i) => i < op.Outputs.Count && op.Outputs[i] is { } n ? graph.FindTensor(n) : null;
        var list = new List<(string, long)>();
        void Unknown(string why) => estimates.Add(new TflmEstimateReason(TflmArenaModel.OperatorLabel(op), where, why + "; counted as 0 B"));

        // Per-channel output multipliers and shifts: one int32 per channel of the filter's
        // quantized dimension (conv_common.cc, depthwise_conv_common.cc, transpose_conv.cc).
        void PerChannel(int filterDimension)
        {
            var filter = Input(1);
            if (filter?.Type.Shape is { IsFullyKnown: true } shape && filterDimension < shape.Rank)
            {
                long channels = shape.Dims[filterDimension].Value!.Value;
                list.Add(($"per_channel_output_multiplier[{channels}] ({op.OpType})", 4 * channels));
                list.Add(($"per_channel_output_shift[{channels}] ({op.OpType})", 4 * channels));
            }
            else Unknown("the filter's shape is not known, so its per-channel arrays are not");
        }

        switch (op.OpType)
        {
            case "CONV_2D": PerChannel(0); break;
            case "DEPTHWISE_CONV_2D": PerChannel(3); break;
            case "TRANSPOSE_CONV": PerChannel(0); break;
            case "FULLY_CONNECTED":
                // fully_connected_common.cc: quantized input and more than one filter scale.
                if (Input(0)?.Type.ElementType is { } t && t != DataType.Float32 && Input(1)?.Quantization is { Scales.Count: > 1 } q)
                {
                    list.Add(($"per_channel_output_multiplier[{q.Scales.Count}] ({op.OpType})", 4L * q.Scales.Count));
                    list.Add(($"per_channel_output_shift[{q.Scales.Count}] ({op.OpType})", 4L * q.Scales.Count));
                }
                break;
            case "SOFTMAX":
                // softmax_common.cc InitializeLutForInt16: two tables of LUTSize<int16_t>() = 513 int16.
                if (Input(0)?.Type.ElementType == DataType.Int16)
                {
                    list.Add(("exp_lut (SOFTMAX)", 2 * 513));
                    list.Add(("one_over_one_plus_x_lut (SOFTMAX)", 2 * 513));
                }
                break;
            case "BATCH_MATMUL" or "DEPTH_TO_SPACE" or "EMBEDDING_LOOKUP" or "GATHER" or "GATHER_ND" or "L2_POOL_2D" or "SPACE_TO_DEPTH":
                // kernel_util.cc CreateWritableTensorDimsWithCopy on the output: TfLiteIntArray of its rank.
                if (Output(0)?.Type.Shape is { } outShape)
                    list.Add(($"output dims ({op.OpType})", 4 + 4L * outShape.Rank));
                if (op.OpType is "BATCH_MATMUL" or "EMBEDDING_LOOKUP")
                    Unknown("its Prepare allocates op data and transposed operands that are not modelled");
                break;
            case "RESHAPE":
                // reshape_common.cc: dims made writable only when the output shape holds a -1.
                if (Output(0)?.Type.Shape is { IsFullyKnown: false })
                    Unknown("its output shape is not static, so its writable dims are not modelled");
                break;
            case "ADD_N" or "CUMSUM" or "LOG_SOFTMAX":
                Unknown("its op data is allocated in Prepare and not modelled");
                break;
            case "VAR_HANDLE" or "ASSIGN_VARIABLE" or "READ_VARIABLE":
                Unknown("resource variable buffers (micro_resource_variable.cc) are not modelled");
                break;
        }
        return list;
    }

    /// <summary>sizeof of TFLM's framework structs on a target with <c>p</c>-byte pointers
    /// (GCC layout: fields in order, each aligned to its size, the struct to its largest field).</summary>
    private static class Layout
    {
        // Fields whose alignment is their size (ints, pointers, bool).
        private static long Struct(int p, params int[] fields) => Struct(fields.Select(f => ((long)f, (long)f)).ToArray());

        private static long Struct(params (long Size, long Alignment)[] fields)
        {
            long offset = 0, largest = 1;
            foreach (var (size, alignment) in fields)
            {
                offset = TflmArenaModel.AlignUp(offset, alignment) + size;
                largest = Math.Max(largest, alignment);
            }
            return TflmArenaModel.AlignUp(offset, largest);
        }

        // single_arena_buffer_allocator.h: two interface vtable pointers, buffer_head_,
        // buffer_tail_, head_, tail_, temp_, intptr_t temp_buffer_ptr_check_sum_, int temp_buffer_count_.
        public static long SingleArenaBufferAllocator(int p) => Struct(p, p, p, p, p, p, p, p, p, 4);

        // greedy_memory_planner.h: vtable, max_buffer_count_, buffer_count_, requirements_,
        // buffer_sizes_sorted_, buffer_ids_sorted_, buffers_sorted_by_offset_, next_free_entry_,
        // first_entry_index_, buffer_offsets_, need_to_calculate_offsets_.
        public static long GreedyMemoryPlanner(int p) => Struct(p, p, 4, 4, p, p, p, p, 4, 4, p, 1);

        // micro_allocator.h: vtable, non_persistent_buffer_allocator_, persistent_buffer_allocator_,
        // builtin_data_allocator_, memory_planner_, model_is_allocating_,
        // scratch_buffer_request_count_, scratch_buffer_head_, max_head_buffer_usage_.
        public static long MicroAllocator(int p) => Struct(p, p, p, p, p, p, 1, p, p, p);

        // micro_resource_variable.h MicroResourceVariable: container, shared_name,
        // resource_buffer, bytes, default_value.
        public static long MicroResourceVariable(int p) => Struct(p, p, p, p, p, 1);

        // common.h TfLiteEvalTensor: data, dims, type.
        public static long TfLiteEvalTensor(int p) => Struct(p, p, p, 4);

        // micro_allocator.h NodeAndRegistration: TfLiteNode (TF_LITE_STATIC_MEMORY: inputs,
        // outputs, intermediates, user_data, builtin_data, custom_initial_data,
        // custom_initial_data_size) and the registration pointer.
        public static long NodeAndRegistration(int p) => Struct(p, p, p, p, p, p, p, 4) + p;

        // common.h TfLiteTensor (TF_LITE_STATIC_MEMORY): quantization {type, params},
        // params {scale, zero_point}, data, dims, bytes, type, allocation_type, is_variable.
        public static long TfLiteTensor(int p) =>
            Struct((Struct(p, 4, p), p), (8, 4), (p, p), (p, p), (p, p), (4, 4), (4, 4), (1, 1));

        // common.h TfLiteAffineQuantization: scale, zero_point, quantized_dimension.
        public static long TfLiteAffineQuantization(int p) => Struct(p, p, p, 4);
    }

    /// <summary>The tail as TFLM grows it: each allocation rounds the running total up to its alignment.</summary>
    private sealed class Tail
    {
        private readonly List<(string Group, string What, long Bytes)> _allocations = [];

        public long Bytes { get; private set; }

        public void Add(string what, long size, long alignment, string? group = null)
        {
            long before = Bytes;
            Bytes = TflmArenaModel.AlignUp(Bytes + size, alignment);
            _allocations.Add((group ?? what, what, Bytes - before));
        }

        /// <summary>One item per group, in first-allocation order, padding included.</summary>
        public IReadOnlyList<TflmTailItem> Items() => _allocations
            .GroupBy(a => a.Group)
            .Select(g => new TflmTailItem(g.Count() == 1 ? g.First().What : $"{g.Key} ({g.Count()})", g.Sum(a => a.Bytes)))
            .ToList();
    }
}
