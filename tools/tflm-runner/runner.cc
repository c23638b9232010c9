// GraphDsl's TFLM runner: runs one .tflite on TensorFlow Lite Micro's reference kernels and prints
// one JSON object (the contract is in BRIEF.md / README.md, "TFLM runner"):
//   ok/error, TFLM's own log lines, the operators TFLM refuses (and where), head/tail/used bytes,
//   a hash of every output for each seed, and the arena offset TFLM gave each planned tensor.
//
// usage: tflm-runner MODEL.tflite [--seeds N] [--arena-bytes N] [--persistent]
// Exit code 0 when the model ran, 1 on any error (bad file, refused operator, arena too small...).
//
// Built with TFLM's host flags (-fno-exceptions -fno-rtti), so no exceptions here either.

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <new>
#include <set>
#include <string>
#include <vector>

#include "tensorflow/lite/micro/arena_allocator/single_arena_buffer_allocator.h"
#include "tensorflow/lite/micro/debug_log.h"
#include "tensorflow/lite/micro/memory_helpers.h"
#include "tensorflow/lite/micro/memory_planner/greedy_memory_planner.h"
#include "tensorflow/lite/micro/micro_allocator.h"
#include "tensorflow/lite/micro/micro_arena_constants.h"
#include "tensorflow/lite/micro/micro_context.h"
#include "tensorflow/lite/micro/micro_interpreter.h"
#include "tensorflow/lite/micro/micro_interpreter_context.h"
#include "tensorflow/lite/micro/micro_interpreter_graph.h"
#include "tensorflow/lite/micro/micro_mutable_op_resolver.h"
#include "tensorflow/lite/micro/micro_resource_variable.h"
#include "tensorflow/lite/micro/tflite_bridge/micro_error_reporter.h"
#include "tensorflow/lite/schema/schema_generated.h"
#include "tensorflow/lite/schema/schema_utils.h"

namespace {

// ---------------------------------------------------------------------------------------------
// TFLM's log. TFLM calls DebugLog (debug_log.h) for every MicroPrintf; the stock debug_log.cc
// prints to stderr, ours keeps the lines so they go into the JSON.

std::string g_log_partial;
std::vector<std::string> g_log_lines;
std::vector<std::string> g_probe_log;          // TFLM's lines while listing every refusal
std::vector<std::string>* g_log_sink = &g_log_lines;

void FlushLogLine() {
  std::string line;
  for (char c : g_log_partial) {
    if (c != '\r') line.push_back(c);
  }
  // TF_LITE_ENSURE messages start with the compiler's path of the kernel: keep it from
  // "tensorflow/lite/" on, so the log reads the same on every machine.
  size_t source = line.find("/tensorflow/lite/");
  if (source != std::string::npos) {
    size_t path_start = line.rfind(' ', source);
    path_start = path_start == std::string::npos ? 0 : path_start + 1;
    line.erase(path_start, source + 1 - path_start);
  }
  size_t start = line.find_first_not_of(" \t");
  if (start != std::string::npos) g_log_sink->push_back(line.substr(start));
  g_log_partial.clear();
}

void AppendLog(const char* text) {
  for (const char* p = text; *p != '\0'; ++p) {
    if (*p == '\n') {
      FlushLogLine();
    } else {
      g_log_partial.push_back(*p);
    }
  }
}

}  // namespace

extern "C" void DebugLog(const char* format, va_list args) {
  char buffer[1024];
  vsnprintf(buffer, sizeof(buffer), format, args);
  AppendLog(buffer);
}

extern "C" int DebugVsnprintf(char* buffer, size_t buf_size, const char* format,
                              va_list vlist) {
  return vsnprintf(buffer, buf_size, format, vlist);
}

namespace {

// ---------------------------------------------------------------------------------------------
// JSON output.

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char hex[8];
          snprintf(hex, sizeof(hex), "\\u%04x", c);
          out += hex;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out + "\"";
}

// An operator TFLM refuses: no kernel for it, or its kernel's Prepare or Eval failed.
struct Refusal {
  int subgraph;
  int index;
  std::string op;
  std::string reason;  // "no kernel", "prepare", "invoke"
};

struct OutputResult {
  int index;
  std::string name;
  std::string type;
  size_t bytes;
  std::vector<std::string> hashes;
};

struct PlannedTensor {
  int subgraph;
  int index;
  size_t offset;
  size_t bytes;
};

// One AllocatePersistentBuffer call (--persistent): what was asked, what the tail grew by
// (alignment padding included), and the kernel running then ("" outside kernels: allocator
// objects, eval tensors, node arrays, builtin data, scratch handles, variables, input/output
// tensors, in TFLM's order).
struct PersistentAllocation {
  size_t size;
  size_t alignment;
  size_t grew;
  int subgraph;
  int index;
  std::string op;
  std::string phase;  // "parse" (builtin data), "init" or "prepare" inside a kernel, "" outside
};

struct Result {
  bool ok = false;
  std::string error;
  std::vector<Refusal> refused;
  size_t head_bytes = 0;
  size_t tail_bytes = 0;
  size_t arena_used_bytes = 0;
  size_t arena_bytes = 0;
  std::vector<OutputResult> inputs;  // hashes: the bytes given for each seed
  std::vector<OutputResult> outputs;
  std::vector<PlannedTensor> tensors;
  bool list_persistent = false;
  std::string kernel_sizes;  // --kernel-sizes: JSON object, op -> what its parser and Init allocate
  std::vector<PersistentAllocation> persistent;
};

std::string ToJson(const Result& r) {
  std::string j = "{";
  j += "\"ok\":" + std::string(r.ok ? "true" : "false");
  j += ",\"error\":" + JsonString(r.error);
  j += ",\"log\":[";
  for (size_t i = 0; i < g_log_lines.size(); ++i) {
    j += (i ? "," : "") + JsonString(g_log_lines[i]);
  }
  j += "],\"probe_log\":[";
  for (size_t i = 0; i < g_probe_log.size(); ++i) {
    j += (i ? "," : "") + JsonString(g_probe_log[i]);
  }
  j += "],\"unsupported_ops\":[";
  std::set<std::string> seen;
  bool first = true;
  for (const Refusal& f : r.refused) {
    if (!seen.insert(f.op).second) continue;
    j += (first ? "" : ",") + JsonString(f.op);
    first = false;
  }
  j += "],\"refused\":[";
  for (size_t i = 0; i < r.refused.size(); ++i) {
    const Refusal& f = r.refused[i];
    j += (i ? "," : "") + std::string("{\"subgraph\":") + std::to_string(f.subgraph) +
         ",\"index\":" + std::to_string(f.index) + ",\"op\":" + JsonString(f.op) +
         ",\"reason\":" + JsonString(f.reason) + "}";
  }
  j += "],\"head_bytes\":" + std::to_string(r.head_bytes);
  j += ",\"tail_bytes\":" + std::to_string(r.tail_bytes);
  j += ",\"arena_used_bytes\":" + std::to_string(r.arena_used_bytes);
  j += ",\"arena_bytes\":" + std::to_string(r.arena_bytes);
  auto io_list = [&j](const char* key, const std::vector<OutputResult>& list) {
    j += ",\"" + std::string(key) + "\":[";
    for (size_t i = 0; i < list.size(); ++i) {
      const OutputResult& o = list[i];
      j += (i ? "," : "") + std::string("{\"index\":") + std::to_string(o.index) +
           ",\"name\":" + JsonString(o.name) + ",\"type\":" + JsonString(o.type) +
           ",\"bytes\":" + std::to_string(o.bytes) + ",\"hashes\":[";
      for (size_t k = 0; k < o.hashes.size(); ++k) {
        j += (k ? "," : "") + JsonString(o.hashes[k]);
      }
      j += "]}";
    }
    j += "]";
  };
  io_list("inputs", r.inputs);
  io_list("outputs", r.outputs);
  j += ",\"tensors\":[";
  for (size_t i = 0; i < r.tensors.size(); ++i) {
    const PlannedTensor& t = r.tensors[i];
    j += (i ? "," : "") + std::string("{\"subgraph\":") + std::to_string(t.subgraph) +
         ",\"index\":" + std::to_string(t.index) + ",\"offset\":" + std::to_string(t.offset) +
         ",\"bytes\":" + std::to_string(t.bytes) + "}";
  }
  j += "]";
  if (!r.kernel_sizes.empty() && r.kernel_sizes != "?") j += ",\"kernel_sizes\":" + r.kernel_sizes;
  if (r.list_persistent) {
    j += ",\"persistent\":[";
    for (size_t i = 0; i < r.persistent.size(); ++i) {
      const PersistentAllocation& a = r.persistent[i];
      j += (i ? "," : "") + std::string("{\"size\":") + std::to_string(a.size) +
           ",\"alignment\":" + std::to_string(a.alignment) + ",\"grew\":" + std::to_string(a.grew) +
           ",\"subgraph\":" + std::to_string(a.subgraph) + ",\"index\":" + std::to_string(a.index) +
           ",\"op\":" + JsonString(a.op) + ",\"phase\":" + JsonString(a.phase) + "}";
    }
    j += "]";
  }
  j += "}\n";
  return j;
}

// A kernel may crash on a model TFLM accepted (it trusts shapes and indices): the JSON then
// still says what happened, with the log so far, instead of the caller parsing nothing.
const char* g_phase = "starting";
const Result* g_finished_run = nullptr;  // set while probing: a crash then reports the real run
std::vector<Refusal>* g_probe_refused = nullptr;  // what the probe found so far, for a crash report
Refusal g_current = {-1, -1, "", ""};    // the operator whose kernel runs now (set by the Observe*)

void OnFatalSignal(int signal_number) {
  Result r;
  if (g_finished_run != nullptr) {
    r = *g_finished_run;
    if (g_probe_refused != nullptr) {
      for (const Refusal& f : *g_probe_refused) {
        bool known = false;
        for (const Refusal& m : r.refused) known |= m.subgraph == f.subgraph && m.index == f.index;
        if (!known) r.refused.push_back(f);
      }
    }
    r.error += std::string(" (listing every refused operator crashed with signal ") +
               std::to_string(signal_number) + " during " + g_phase + "; the list may be incomplete)";
  } else {
    r.error = std::string("crashed with signal ") + std::to_string(signal_number) + " (" +
              strsignal(signal_number) + ") during " + g_phase;
    if (g_current.index >= 0) {
      r.error += " in " + g_current.op + " (subgraph " + std::to_string(g_current.subgraph) +
                 ", operator " + std::to_string(g_current.index) + ", " + g_current.reason + ")";
      r.refused.push_back({g_current.subgraph, g_current.index, g_current.op, "crash in " + g_current.reason});
    }
  }
  if (!g_log_partial.empty()) FlushLogLine();
  std::string json = ToJson(r);
  ssize_t ignored = write(STDOUT_FILENO, json.data(), json.size());
  (void)ignored;
  _exit(1);
}

// ---------------------------------------------------------------------------------------------
// Deterministic inputs: SplitMix64 keyed by (seed, input index), so the same seed gives the same
// bytes in the original and the optimized model, whatever else differs between them.

uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Uniform in [-1, 1).
double UnitValue(uint64_t* state) {
  return static_cast<double>(SplitMix64(state) >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

uint16_t FloatToHalf(float value) {
  uint32_t bits;
  memcpy(&bits, &value, sizeof(bits));
  uint32_t sign = (bits >> 16) & 0x8000u;
  int32_t exponent = static_cast<int32_t>((bits >> 23) & 0xFF) - 127 + 15;
  uint32_t mantissa = bits & 0x7FFFFFu;
  if (exponent <= 0) return static_cast<uint16_t>(sign);  // |value| < 2^-14: zero is fine here
  if (exponent >= 31) return static_cast<uint16_t>(sign | 0x7C00u);
  return static_cast<uint16_t>(sign | (static_cast<uint32_t>(exponent) << 10) | (mantissa >> 13));
}

// Range of a float input: [-1, 1], or, when the model quantizes the input first, the range its
// QUANTIZE output can represent (e.g. [0, 255] for an image model; values in [-1, 1] would all
// quantize to one or two levels and every seed would give the same output).
struct FloatRange {
  double low = -1.0;
  double high = 1.0;
};

FloatRange InputRange(const tflite::Model* model, int tensor_index) {
  FloatRange range;
  const tflite::SubGraph* g = model->subgraphs()->Get(0);
  if (g->operators() == nullptr || model->operator_codes() == nullptr) return range;
  for (const tflite::Operator* op : *g->operators()) {
    if (op->inputs() == nullptr || op->outputs() == nullptr || op->inputs()->size() == 0 ||
        op->outputs()->size() == 0 || op->inputs()->Get(0) != tensor_index ||
        op->opcode_index() >= model->operator_codes()->size()) {
      continue;
    }
    if (tflite::GetBuiltinCode(model->operator_codes()->Get(op->opcode_index())) !=
        tflite::BuiltinOperator_QUANTIZE) {
      continue;
    }
    int out = op->outputs()->Get(0);
    if (out < 0 || g->tensors() == nullptr || out >= static_cast<int>(g->tensors()->size())) continue;
    const tflite::Tensor* t = g->tensors()->Get(out);
    const tflite::QuantizationParameters* q = t->quantization();
    if (q == nullptr || q->scale() == nullptr || q->scale()->size() == 0) continue;
    double scale = q->scale()->Get(0);
    double zero = (q->zero_point() != nullptr && q->zero_point()->size() > 0) ? q->zero_point()->Get(0) : 0;
    double qmin = -128, qmax = 127;
    if (t->type() == tflite::TensorType_UINT8) { qmin = 0; qmax = 255; }
    if (t->type() == tflite::TensorType_INT16) { qmin = -32768; qmax = 32767; }
    if (scale > 0) {
      range.low = scale * (qmin - zero);
      range.high = scale * (qmax - zero);
    }
    break;
  }
  return range;
}

void FillInput(TfLiteTensor* tensor, uint64_t seed, int input_index, FloatRange range) {
  uint64_t state = seed * 0x100000001B3ull + static_cast<uint64_t>(input_index) * 0x9E3779B1ull + 1;
  uint8_t* data = static_cast<uint8_t*>(tensor->data.data);
  size_t bytes = tensor->bytes;
  if (data == nullptr) return;
  switch (tensor->type) {
    case kTfLiteFloat32:
      for (size_t i = 0; i + 4 <= bytes; i += 4) {
        double u = (UnitValue(&state) + 1.0) / 2.0;
        float v = static_cast<float>(range.low + u * (range.high - range.low));
        memcpy(data + i, &v, 4);
      }
      break;
    case kTfLiteFloat64:
      for (size_t i = 0; i + 8 <= bytes; i += 8) {
        double v = UnitValue(&state);
        memcpy(data + i, &v, 8);
      }
      break;
    case kTfLiteFloat16:
      for (size_t i = 0; i + 2 <= bytes; i += 2) {
        uint16_t v = FloatToHalf(static_cast<float>(UnitValue(&state)));
        memcpy(data + i, &v, 2);
      }
      break;
    case kTfLiteBool:
      for (size_t i = 0; i < bytes; ++i) data[i] = SplitMix64(&state) & 1;
      break;
    case kTfLiteInt32:
      // Integer inputs are often indices or sizes: keep them small and non-negative.
      for (size_t i = 0; i + 4 <= bytes; i += 4) {
        int32_t v = static_cast<int32_t>(SplitMix64(&state) % 16);
        memcpy(data + i, &v, 4);
      }
      break;
    case kTfLiteInt64:
      for (size_t i = 0; i + 8 <= bytes; i += 8) {
        int64_t v = static_cast<int64_t>(SplitMix64(&state) % 16);
        memcpy(data + i, &v, 8);
      }
      break;
    default:
      // int8/uint8/int16 (quantized): every bit pattern is a valid value.
      for (size_t i = 0; i < bytes; ++i) data[i] = static_cast<uint8_t>(SplitMix64(&state));
      break;
  }
}

std::string HashBytes(const uint8_t* data, size_t bytes) {
  uint64_t h = 0xCBF29CE484222325ull;  // FNV-1a, 64 bits
  for (size_t i = 0; i < bytes; ++i) {
    h ^= data[i];
    h *= 0x100000001B3ull;
  }
  char hex[17];
  snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

// ---------------------------------------------------------------------------------------------
// The op resolver: every builtin TFLM has a reference kernel for (and the reference custom
// kernels), handed out as copies whose prepare and invoke go through ObservePrepare and
// ObserveInvoke, so the runner learns which operator failed and where TFLM put each tensor.

std::string OpName(const tflite::OperatorCode* code) {
  tflite::BuiltinOperator builtin = tflite::GetBuiltinCode(code);
  if (builtin == tflite::BuiltinOperator_CUSTOM) {
    return code->custom_code() != nullptr ? code->custom_code()->str() : std::string("CUSTOM");
  }
  const char* name = tflite::EnumNameBuiltinOperator(builtin);
  return (name != nullptr && *name != '\0') ? name : "BUILTIN_" + std::to_string(builtin);
}

void* ObserveInit(TfLiteContext* context, const char* buffer, size_t length);
TfLiteStatus ObservePrepare(TfLiteContext* context, TfLiteNode* node);
TfLiteStatus ObserveInvoke(TfLiteContext* context, TfLiteNode* node);

// The parser GetOpDataParser handed out last: TFLM calls it right after asking for it, once per
// operator, so ParseObserved can name the operator whose builtin data is being allocated.
tflite::TfLiteBridgeBuiltinParseFunction g_parser = nullptr;
std::string g_parser_op;

TfLiteStatus ParseObserved(const tflite::Operator* op, tflite::ErrorReporter* reporter,
                           tflite::BuiltinDataAllocator* allocator, void** builtin_data) {
  Refusal caller = g_current;
  g_current = {-1, -2, g_parser_op, "parse"};
  TfLiteStatus status = g_parser(op, reporter, allocator, builtin_data);
  g_current = caller;
  return status;
}

TfLiteStatus NoBuiltinData(const tflite::Operator*, tflite::ErrorReporter*,
                           tflite::BuiltinDataAllocator*, void** builtin_data) {
  *builtin_data = nullptr;
  return kTfLiteOk;
}

class ObservingResolver : public tflite::MicroOpResolver {
 public:
  // probe: operators without a kernel get a do-nothing one, so that Prepare reaches (and
  // reports) every other operator instead of stopping at the first unknown one.
  explicit ObservingResolver(bool probe) : probe_(probe) { AddAll(); }

  const TFLMRegistration* FindOp(tflite::BuiltinOperator op) const override {
    const TFLMRegistration* found = all_.FindOp(op);
    if (found == nullptr && probe_) return Placeholder(op, nullptr);
    return found == nullptr ? nullptr : Observed(found);
  }

  const TFLMRegistration* FindOp(const char* op) const override {
    const TFLMRegistration* found = all_.FindOp(op);
    if (found == nullptr && probe_) return Placeholder(tflite::BuiltinOperator_CUSTOM, op);
    return found == nullptr ? nullptr : Observed(found);
  }

  tflite::TfLiteBridgeBuiltinParseFunction GetOpDataParser(tflite::BuiltinOperator op) const override {
    tflite::TfLiteBridgeBuiltinParseFunction parser = all_.GetOpDataParser(op);
    if (parser == nullptr && probe_) return NoBuiltinData;
    if (parser == nullptr || probe_) return parser;
    g_parser = parser;
    const char* name = tflite::EnumNameBuiltinOperator(op);
    g_parser_op = name != nullptr ? name : "BUILTIN_" + std::to_string(op);
    return ParseObserved;
  }

  const TFLMRegistration* KernelOf(tflite::BuiltinOperator op) const { return all_.FindOp(op); }
  tflite::TfLiteBridgeBuiltinParseFunction ParserOf(tflite::BuiltinOperator op) const {
    return all_.GetOpDataParser(op);
  }

  // The kernel TFLM has for this operator code, or nullptr.
  const TFLMRegistration* Kernel(const tflite::OperatorCode* code) const {
    tflite::BuiltinOperator builtin = tflite::GetBuiltinCode(code);
    if (builtin != tflite::BuiltinOperator_CUSTOM) return all_.FindOp(builtin);
    return code->custom_code() != nullptr ? all_.FindOp(code->custom_code()->c_str()) : nullptr;
  }

 private:
  const TFLMRegistration* Observed(const TFLMRegistration* original) const {
    auto it = observed_.find(original);
    if (it != observed_.end()) return it->second;
    storage_.push_back(*original);
    if (original->init != nullptr) storage_.back().init = ObserveInit;
    storage_.back().prepare = ObservePrepare;
    storage_.back().invoke = ObserveInvoke;
    observed_[original] = &storage_.back();
    return &storage_.back();
  }

  const TFLMRegistration* Placeholder(tflite::BuiltinOperator op, const char* name) const {
    TFLMRegistration placeholder = {};
    placeholder.builtin_code = op;
    placeholder.invoke = ObserveInvoke;  // TFLM requires one (TFLITE_DCHECK in InvokeSubgraph); it does nothing here
    if (name != nullptr) {
      names_.push_back(name);
      placeholder.custom_name = names_.back().c_str();
    }
    storage_.push_back(placeholder);
    return &storage_.back();
  }

  void AddAll() {
    all_.AddAbs(); all_.AddAdd(); all_.AddAddN(); all_.AddArgMax(); all_.AddArgMin();
    all_.AddAssignVariable(); all_.AddAveragePool2D(); all_.AddBatchMatMul();
    all_.AddBatchToSpaceNd(); all_.AddBroadcastArgs(); all_.AddBroadcastTo(); all_.AddCallOnce();
    all_.AddCast(); all_.AddCeil(); all_.AddCircularBuffer(); all_.AddConcatenation();
    all_.AddConv2D(); all_.AddCos(); all_.AddCumSum(); all_.AddDepthToSpace();
    all_.AddDepthwiseConv2D(); all_.AddDequantize(); all_.AddDetectionPostprocess(); all_.AddDiv();
    all_.AddDynamicUpdateSlice(); all_.AddEmbeddingLookup(); all_.AddElu(); all_.AddEqual();
    all_.AddExp(); all_.AddExpandDims(); all_.AddFill(); all_.AddFloor(); all_.AddFloorDiv();
    all_.AddFloorMod(); all_.AddFullyConnected(); all_.AddGather(); all_.AddGatherNd();
    all_.AddGreater(); all_.AddGreaterEqual(); all_.AddHardSwish(); all_.AddIf();
    all_.AddL2Normalization(); all_.AddL2Pool2D(); all_.AddLeakyRelu(); all_.AddLess();
    all_.AddLessEqual(); all_.AddLog(); all_.AddLogicalAnd(); all_.AddLogicalNot();
    all_.AddLogicalOr(); all_.AddLogistic(); all_.AddLogSoftmax(); all_.AddMaximum();
    all_.AddMaxPool2D(); all_.AddMirrorPad(); all_.AddMean(); all_.AddMinimum(); all_.AddMul();
    all_.AddNeg(); all_.AddNotEqual(); all_.AddPack(); all_.AddPad(); all_.AddPadV2();
    all_.AddPrelu(); all_.AddQuantize(); all_.AddReadVariable(); all_.AddReduceAll();
    all_.AddReduceMax(); all_.AddReduceMin(); all_.AddRelu(); all_.AddRelu6(); all_.AddReshape();
    all_.AddResizeBilinear(); all_.AddResizeNearestNeighbor(); all_.AddReverseV2();
    all_.AddRound(); all_.AddRsqrt(); all_.AddSelectV2(); all_.AddShape(); all_.AddSin();
    all_.AddSlice(); all_.AddSoftmax(); all_.AddSpaceToBatchNd(); all_.AddSpaceToDepth();
    all_.AddSplit(); all_.AddSplitV(); all_.AddSqueeze(); all_.AddSqrt(); all_.AddSquare();
    all_.AddSquaredDifference(); all_.AddStridedSlice(); all_.AddSub(); all_.AddSum();
    all_.AddSvdf(); all_.AddTanh(); all_.AddTransposeConv(); all_.AddTranspose();
    all_.AddUnpack(); all_.AddUnidirectionalSequenceLSTM(); all_.AddVarHandle(); all_.AddWhile();
    all_.AddZerosLike();
  }

  bool probe_;
  tflite::MicroMutableOpResolver<128> all_;
  // std::deque: pointers into it stay valid as it grows (TFLM keeps them).
  mutable std::deque<TFLMRegistration> storage_;
  mutable std::deque<std::string> names_;
  mutable std::map<const TFLMRegistration*, const TFLMRegistration*> observed_;
};

// What ObservePrepare/ObserveInvoke need: the original kernel of every operator, and where to
// record. One run at a time (the runner is single-threaded).
struct Observation {
  const tflite::Model* model = nullptr;
  std::vector<std::vector<const TFLMRegistration*>> kernels;  // [subgraph][operator]
  std::vector<std::vector<std::string>> op_names;
  // probe: note a failing Prepare or Eval and continue with the next operator; an operator
  // already refused is not run again (its Eval would read state its Prepare never made).
  bool keep_going = false;
  tflite::SingleArenaBufferAllocator* buffers = nullptr;  // probe: rolled back after a failed Prepare
  std::vector<Refusal>* refused = nullptr;
  // Offsets, recorded at the first Invoke of each subgraph (the plan is committed by then).
  const uint8_t* head_start = nullptr;
  size_t head_bytes = 0;
  std::set<int> subgraphs_seen;
  std::vector<PlannedTensor>* tensors = nullptr;
};

Observation* g_observation = nullptr;

void CurrentOperator(TfLiteContext* context, int* subgraph, int* index) {
  // The interpreter's MicroGraph is always its MicroInterpreterGraph.
  auto& graph = static_cast<tflite::MicroInterpreterGraph&>(
      tflite::GetMicroContext(context)->graph());
  *subgraph = graph.GetCurrentSubgraphIndex();
  *index = static_cast<int>(graph.GetCurrentOperatorIndex());
}

void* ObserveInit(TfLiteContext* context, const char* buffer, size_t length) {
  int s, i;
  CurrentOperator(context, &s, &i);
  const TFLMRegistration* kernel = g_observation->kernels[s][i];
  if (kernel == nullptr || kernel->init == nullptr) return nullptr;
  Refusal caller = g_current;
  g_current = {s, i, g_observation->op_names[s][i], "init"};
  void* data = kernel->init(context, buffer, length);
  g_current = caller;
  return data;
}

TfLiteStatus ObservePrepare(TfLiteContext* context, TfLiteNode* node) {
  int s, i;
  CurrentOperator(context, &s, &i);
  const TFLMRegistration* kernel = g_observation->kernels[s][i];
  if (kernel == nullptr || kernel->prepare == nullptr) return kTfLiteOk;
  Refusal caller = g_current;  // IF/WHILE/CALL_ONCE run kernels from inside a kernel
  g_current = {s, i, g_observation->op_names[s][i], "prepare"};
  // A Prepare that fails half-way leaves temporary tensors allocated, and TFLM then refuses every
  // later allocation; the probe undoes the failed Prepare's arena bookkeeping to go on.
  tflite::SingleArenaBufferAllocator* buffers = g_observation->keep_going ? g_observation->buffers : nullptr;
  alignas(tflite::SingleArenaBufferAllocator) uint8_t saved[sizeof(tflite::SingleArenaBufferAllocator)];
  if (buffers != nullptr) memcpy(saved, static_cast<void*>(buffers), sizeof(saved));
  TfLiteStatus status = kernel->prepare(context, node);
  g_current = caller;
  if (status != kTfLiteOk) {
    g_observation->refused->push_back({s, i, g_observation->op_names[s][i], "prepare"});
    if (buffers != nullptr) memcpy(static_cast<void*>(buffers), saved, sizeof(saved));
    if (g_observation->keep_going) return kTfLiteOk;
  }
  return status;
}

void RecordOffsets(TfLiteContext* context, int subgraph) {
  Observation& o = *g_observation;
  if (o.tensors == nullptr || !o.subgraphs_seen.insert(subgraph).second) return;
  const auto* tensors = o.model->subgraphs()->Get(subgraph)->tensors();
  if (tensors == nullptr) return;
  for (int t = 0; t < static_cast<int>(tensors->size()); ++t) {
    TfLiteEvalTensor* eval = tflite::GetMicroContext(context)->GetEvalTensor(t);
    if (eval == nullptr || eval->data.data == nullptr) continue;
    const uint8_t* p = static_cast<const uint8_t*>(eval->data.data);
    // Planned = in the head section; constants point into the model, variables into the tail.
    if (p < o.head_start || p >= o.head_start + o.head_bytes) continue;
    size_t bytes = 0;
    if (tflite::TfLiteEvalTensorByteLength(eval, &bytes) != kTfLiteOk) bytes = 0;
    o.tensors->push_back({subgraph, t, static_cast<size_t>(p - o.head_start), bytes});
  }
}

TfLiteStatus ObserveInvoke(TfLiteContext* context, TfLiteNode* node) {
  int s, i;
  CurrentOperator(context, &s, &i);
  RecordOffsets(context, s);
  Observation& o = *g_observation;
  const TFLMRegistration* kernel = o.kernels[s][i];
  if (kernel == nullptr || kernel->invoke == nullptr) return kTfLiteOk;
  if (o.keep_going) {
    for (const Refusal& f : *o.refused) {
      if (f.subgraph == s && f.index == i) return kTfLiteOk;
    }
  }
  Refusal caller = g_current;  // IF/WHILE/CALL_ONCE run kernels from inside a kernel
  g_current = {s, i, o.op_names[s][i], "invoke"};
  TfLiteStatus status = kernel->invoke(context, node);
  g_current = caller;
  if (status != kTfLiteOk) {
    o.refused->push_back({s, i, o.op_names[s][i], "invoke"});
    if (o.keep_going) return kTfLiteOk;
  }
  return status;
}

// Fills kernels/op_names for every operator, and lists the operators with no kernel at all.
bool Survey(const tflite::Model* model, const ObservingResolver& resolver, Observation* o,
            std::vector<Refusal>* no_kernel, std::string* error) {
  o->model = model;
  const auto* codes = model->operator_codes();
  for (int s = 0; s < static_cast<int>(model->subgraphs()->size()); ++s) {
    const tflite::SubGraph* subgraph = model->subgraphs()->Get(s);
    o->kernels.emplace_back();
    o->op_names.emplace_back();
    int count = subgraph->operators() == nullptr ? 0 : subgraph->operators()->size();
    for (int i = 0; i < count; ++i) {
      uint32_t code_index = subgraph->operators()->Get(i)->opcode_index();
      if (codes == nullptr || code_index >= codes->size()) {
        *error = "subgraph " + std::to_string(s) + " operator " + std::to_string(i) +
                 ": opcode_index " + std::to_string(code_index) + " is out of range";
        return false;
      }
      const tflite::OperatorCode* code = codes->Get(code_index);
      const TFLMRegistration* kernel = resolver.Kernel(code);
      o->kernels[s].push_back(kernel);
      o->op_names[s].push_back(OpName(code));
      if (kernel == nullptr) no_kernel->push_back({s, i, OpName(code), "no kernel"});
    }
  }
  return true;
}

// --persistent: every persistent allocation is recorded here (the real run only).
std::vector<PersistentAllocation>* g_persistent = nullptr;

// TFLM's arena allocator, recording each persistent allocation. It adds no data member, so it
// takes the same bytes in the tail as SingleArenaBufferAllocator itself.
class RecordingArena : public tflite::SingleArenaBufferAllocator {
 public:
  using tflite::SingleArenaBufferAllocator::SingleArenaBufferAllocator;

  // As SingleArenaBufferAllocator::Create: the allocator object is the first persistent buffer.
  static RecordingArena* Create(uint8_t* head, size_t size) {
    RecordingArena tmp(head, size);
    uint8_t* memory = tmp.AllocatePersistentBuffer(sizeof(RecordingArena), alignof(RecordingArena));
    return memory == nullptr ? nullptr : new (memory) RecordingArena(tmp);
  }

  uint8_t* AllocatePersistentBuffer(size_t size, size_t alignment) override {
    size_t before = GetPersistentUsedBytes();
    uint8_t* result = tflite::SingleArenaBufferAllocator::AllocatePersistentBuffer(size, alignment);
    if (g_persistent != nullptr && result != nullptr) {
      bool in_kernel = g_current.index != -1;  // -2: parsing an operator's builtin data
      g_persistent->push_back({size, alignment, GetPersistentUsedBytes() - before,
                               in_kernel ? g_current.subgraph : -1, in_kernel ? std::max(g_current.index, -1) : -1,
                               in_kernel ? g_current.op : "", in_kernel ? g_current.reason : ""});
    }
    return result;
  }
};
static_assert(sizeof(RecordingArena) == sizeof(tflite::SingleArenaBufferAllocator),
              "the recording allocator must take the tail bytes TFLM's own takes");

// MicroInterpreter with its TfLiteContext reachable, to read subgraph 0's tensors after
// AllocateTensors (a model with no operator never reaches ObserveInvoke).
class InspectableInterpreter : public tflite::MicroInterpreter {
 public:
  using tflite::MicroInterpreter::MicroInterpreter;
  TfLiteContext* mutable_context() { return const_cast<TfLiteContext*>(&context()); }
};

// One interpreter over a fresh arena. The allocator objects are made here, as
// MicroAllocator::Create(arena, size) makes them (SingleArenaBufferAllocator and
// GreedyMemoryPlanner in the arena's tail, micro_allocator.cc), so that head and tail can be read
// separately (MicroInterpreter only reports their sum) and equal what a device reports.
struct Session {
  uint8_t* arena = nullptr;
  tflite::SingleArenaBufferAllocator* buffers = nullptr;
  tflite::MicroAllocator* allocator = nullptr;
  InspectableInterpreter* interpreter = nullptr;

  bool Open(const tflite::Model* model, const tflite::MicroOpResolver& resolver, size_t bytes,
            std::string* error) {
    const size_t alignment = tflite::MicroArenaBufferAlignment();
    bytes = (bytes + alignment - 1) / alignment * alignment;
    arena = static_cast<uint8_t*>(aligned_alloc(alignment, bytes));
    if (arena == nullptr) {
      *error = "cannot allocate an arena of " + std::to_string(bytes) + " bytes";
      return false;
    }
    buffers = RecordingArena::Create(arena, bytes);
    uint8_t* planner_memory = buffers->AllocatePersistentBuffer(
        sizeof(tflite::GreedyMemoryPlanner), alignof(tflite::GreedyMemoryPlanner));
    if (planner_memory == nullptr) {
      *error = "arena of " + std::to_string(bytes) + " bytes is too small for TFLM's allocator";
      return false;
    }
    auto* planner = new (planner_memory) tflite::GreedyMemoryPlanner();
    allocator = tflite::MicroAllocator::Create(buffers, planner);
    if (allocator == nullptr) {
      *error = "arena of " + std::to_string(bytes) + " bytes is too small for TFLM's allocator";
      return false;
    }
    // Resource variables (VAR_HANDLE/ASSIGN_VARIABLE/READ_VARIABLE) need this object from the
    // application; one slot per VAR_HANDLE is enough (micro_resource_variable.h).
    int handles = 0;
    for (const tflite::SubGraph* g : *model->subgraphs()) {
      if (g->operators() == nullptr) continue;
      for (const tflite::Operator* op : *g->operators()) {
        const auto* codes = model->operator_codes();
        handles += codes != nullptr && op->opcode_index() < codes->size() &&
                   tflite::GetBuiltinCode(codes->Get(op->opcode_index())) == tflite::BuiltinOperator_VAR_HANDLE;
      }
    }
    tflite::MicroResourceVariables* variables =
        handles > 0 ? tflite::MicroResourceVariables::Create(allocator, handles) : nullptr;
    interpreter = new InspectableInterpreter(model, resolver, allocator, variables);
    return true;
  }

  ~Session() {
    delete interpreter;
    free(arena);
  }
};

// Builtin data allocator that records what a parser asks for (size, alignment).
class RecordingDataAllocator : public tflite::BuiltinDataAllocator {
 public:
  void* Allocate(size_t size, size_t alignment) override {
    sizes.push_back({size, alignment});
    void* p = aligned_alloc(16, (size + 15) / 16 * 16 + 16);
    memset(p, 0, (size + 15) / 16 * 16 + 16);
    owned.push_back(p);
    return p;
  }
  void Deallocate(void*) override {}
  ~RecordingDataAllocator() { for (void* p : owned) free(p); }
  std::vector<std::pair<size_t, size_t>> sizes;
  std::vector<void*> owned;
};

// --kernel-sizes: for every builtin TFLM registers, what its parser allocates for the builtin
// data (an operator without options) and what its Init takes from the persistent section, read
// by calling them on the live interpreter of the model just run (context in the Init state).
std::string KernelSizes(const ObservingResolver& resolver, TfLiteContext* context) {
  auto* micro_context = static_cast<tflite::MicroInterpreterContext*>(tflite::GetMicroContext(context));
  micro_context->SetInterpreterState(tflite::MicroInterpreterContext::InterpreterState::kInit);
  // An Operator table with no field set: root offset 8, vtable {4, 4} at 4, table at 8 (TFLM's
  // flatbuffers build has no builder allocator, so the bytes are written out).
  alignas(16) static const uint8_t kBareOperator[12] = {8, 0, 0, 0, 4, 0, 4, 0, 4, 0, 0, 0};
  const tflite::Operator* bare = flatbuffers::GetRoot<tflite::Operator>(kBareOperator);
  alignas(16) static char zeros[4096];
  std::string j = "{";
  bool first = true;
  for (int code = tflite::BuiltinOperator_MIN; code <= tflite::BuiltinOperator_MAX; ++code) {
    auto op = static_cast<tflite::BuiltinOperator>(code);
    const TFLMRegistration* kernel = resolver.KernelOf(op);
    if (kernel == nullptr || op == tflite::BuiltinOperator_CUSTOM) continue;
    RecordingDataAllocator data;
    void* builtin_data = nullptr;
    if (auto parser = resolver.ParserOf(op)) parser(bare, tflite::GetMicroErrorReporter(), &data, &builtin_data);
    std::vector<PersistentAllocation> init;
    g_persistent = &init;
    if (kernel->init != nullptr) kernel->init(context, zeros, 0);
    g_persistent = nullptr;
    j += (first ? "\"" : ",\"") + std::string(tflite::EnumNameBuiltinOperator(op)) + "\":{\"parse\":[";
    first = false;
    for (size_t k = 0; k < data.sizes.size(); ++k) {
      j += (k ? "," : "") + std::string("[") + std::to_string(data.sizes[k].first) + "," +
           std::to_string(data.sizes[k].second) + "]";
    }
    j += "],\"init\":[";
    for (size_t k = 0; k < init.size(); ++k) {
      j += (k ? "," : "") + std::string("[") + std::to_string(init[k].size) + "," +
           std::to_string(init[k].alignment) + "]";
    }
    j += "]}";
  }
  return j + "}";
}

// Runs the model with TFLM's real behaviour: it stops at the first refused operator.
void Run(const tflite::Model* model, int seeds, size_t arena_bytes, Result* r) {
  ObservingResolver resolver(/*probe=*/false);
  Observation o;
  std::vector<Refusal> no_kernel;
  if (!Survey(model, resolver, &o, &no_kernel, &r->error)) return;
  o.refused = &r->refused;
  g_observation = &o;

  Session session;
  g_phase = "AllocateTensors";
  g_persistent = r->list_persistent ? &r->persistent : nullptr;
  bool opened = session.Open(model, resolver, arena_bytes, &r->error);
  if (!opened) return;
  InspectableInterpreter& interpreter = *session.interpreter;
  if (interpreter.AllocateTensors() != kTfLiteOk) {
    r->error = "AllocateTensors failed";
    if (r->refused.empty()) r->refused = no_kernel;  // TFLM stopped while resolving kernels
    return;
  }
  r->head_bytes = session.buffers->GetNonPersistentUsedBytes();
  r->tail_bytes = session.buffers->GetPersistentUsedBytes();
  r->arena_used_bytes = interpreter.arena_used_bytes();
  g_persistent = nullptr;  // Invoke allocates nothing persistent; the probe must not record
  o.head_start = session.buffers->GetOverlayMemoryAddress();
  o.head_bytes = r->head_bytes;
  o.tensors = &r->tensors;
  RecordOffsets(interpreter.mutable_context(), 0);  // the current subgraph is 0 after allocation

  const tflite::SubGraph* main_graph = model->subgraphs()->Get(0);
  auto describe = [main_graph](int k, int tensor_index, const TfLiteTensor* live) {
    const tflite::Tensor* t = main_graph->tensors()->Get(tensor_index);
    return OutputResult{k, t->name() ? t->name()->str() : "", tflite::EnumNameTensorType(t->type()),
                        live ? live->bytes : 0, {}};
  };
  for (size_t k = 0; k < interpreter.inputs_size(); ++k) {
    r->inputs.push_back(describe(static_cast<int>(k), interpreter.inputs()[k], interpreter.input(k)));
  }
  for (size_t k = 0; k < interpreter.outputs_size(); ++k) {
    r->outputs.push_back(describe(static_cast<int>(k), interpreter.outputs()[k], interpreter.output(k)));
  }

  for (int seed = 0; seed < seeds; ++seed) {
    if (seed > 0 && interpreter.Reset() != kTfLiteOk) {  // stateful kernels (SVDF) start over
      r->error = "Reset failed before seed " + std::to_string(seed);
      return;
    }
    for (size_t k = 0; k < interpreter.inputs_size(); ++k) {
      TfLiteTensor* in = interpreter.input(k);
      FillInput(in, static_cast<uint64_t>(seed), static_cast<int>(k),
                InputRange(model, interpreter.inputs()[k]));
      r->inputs[k].hashes.push_back(HashBytes(static_cast<const uint8_t*>(in->data.data), in->bytes));
    }
    g_phase = "Invoke";
    if (interpreter.Invoke() != kTfLiteOk) {
      r->error = "Invoke failed with seed " + std::to_string(seed);
      return;
    }
    for (size_t k = 0; k < interpreter.outputs_size(); ++k) {
      TfLiteTensor* out = interpreter.output(k);
      r->outputs[k].hashes.push_back(HashBytes(static_cast<const uint8_t*>(out->data.data), out->bytes));
    }
  }
  if (r->kernel_sizes == "?") r->kernel_sizes = KernelSizes(resolver, interpreter.mutable_context());
  if (session.buffers->GetNonPersistentUsedBytes() != r->head_bytes) {
    r->error = "the head section changed during Invoke";
    return;
  }
  r->ok = true;
}

// After a failed run: prepares every operator even past failures (placeholder kernels for
// unknown operators, failing Prepares noted and skipped), to list everything TFLM refuses.
std::vector<Refusal> Probe(const tflite::Model* model, size_t arena_bytes) {
  ObservingResolver resolver(/*probe=*/true);
  Observation o;
  std::vector<Refusal> refused;
  std::string ignored;
  if (!Survey(model, resolver, &o, &refused, &ignored)) return refused;
  o.refused = &refused;
  o.keep_going = true;
  g_observation = &o;
  g_probe_refused = &refused;
  Session session;
  g_log_sink = &g_probe_log;
  g_phase = "probing every operator's Prepare";
  bool opened = session.Open(model, resolver, arena_bytes, &ignored);
  o.buffers = session.buffers;
  if (opened && session.interpreter->AllocateTensors() == kTfLiteOk) {
    // Eval too: some kernels refuse a type only there (CAST from uint8, cast.cc).
    g_phase = "probing every operator's Eval";
    for (size_t k = 0; k < session.interpreter->inputs_size(); ++k) {
      TfLiteTensor* in = session.interpreter->input(k);
      if (in != nullptr) FillInput(in, 0, static_cast<int>(k), InputRange(model, session.interpreter->inputs()[k]));
    }
    session.interpreter->Invoke();
  }
  if (!g_log_partial.empty()) FlushLogLine();
  g_log_sink = &g_log_lines;
  g_probe_refused = nullptr;
  return refused;
}

bool ParseSize(const char* text, long long min, long long* value) {
  char* end = nullptr;
  long long v = strtoll(text, &end, 10);
  if (end == text || *end != '\0' || v < min) return false;
  *value = v;
  return true;
}

int Main(int argc, char** argv) {
  Result r;
  const char* path = nullptr;
  long long seeds = 8;
  long long arena_bytes = 64ll << 20;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--seeds" && i + 1 < argc) {
      if (!ParseSize(argv[++i], 1, &seeds)) r.error = "--seeds needs a positive integer";
    } else if (arg == "--kernel-sizes") {
      r.kernel_sizes = "?";
    } else if (arg == "--persistent") {
      r.list_persistent = true;
    } else if (arg == "--arena-bytes" && i + 1 < argc) {
      if (!ParseSize(argv[++i], 1024, &arena_bytes)) r.error = "--arena-bytes needs an integer >= 1024";
    } else if (arg.rfind("--", 0) == 0 || path != nullptr) {
      r.error = "usage: tflm-runner MODEL.tflite [--seeds N] [--arena-bytes N] [--persistent] (bad argument '" + arg + "')";
    } else {
      path = argv[i];
    }
  }
  if (path == nullptr && r.error.empty()) r.error = "usage: tflm-runner MODEL.tflite [--seeds N] [--arena-bytes N] [--persistent]";
  r.arena_bytes = static_cast<size_t>(arena_bytes);
  if (!r.error.empty()) {
    fputs(ToJson(r).c_str(), stdout);
    return 1;
  }

  std::vector<uint8_t> bytes;
  FILE* file = fopen(path, "rb");
  if (file == nullptr) {
    r.error = std::string(path) + ": cannot open: " + strerror(errno);
  } else {
    uint8_t chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), file)) > 0) bytes.insert(bytes.end(), chunk, chunk + n);
    fclose(file);
    // FlatBuffers are read in place; TFLM wants 16-byte aligned buffers (vector data is malloc'd).
    flatbuffers::Verifier verifier(bytes.data(), bytes.size());
    if (bytes.size() < 8 || !tflite::VerifyModelBuffer(verifier)) {
      r.error = std::string(path) + ": not a valid TFLite flatbuffer";
    } else {
      const tflite::Model* model = tflite::GetModel(bytes.data());
      if (model->version() != TFLITE_SCHEMA_VERSION) {
        r.error = std::string(path) + ": schema version " + std::to_string(model->version()) +
                  ", TFLM reads version " + std::to_string(TFLITE_SCHEMA_VERSION);
      } else if (model->subgraphs() == nullptr || model->subgraphs()->size() == 0) {
        r.error = std::string(path) + ": the model has no subgraph";
      } else {
        Run(model, static_cast<int>(seeds), r.arena_bytes, &r);
        if (!r.ok) {
          if (!g_log_partial.empty()) FlushLogLine();
          std::string first = g_log_lines.empty() ? "" : ": " + g_log_lines.front();
          r.error = std::string(path) + ": " + r.error + first;
          g_finished_run = &r;
          // Invoke failures stay (the probe only prepares); Prepare and kernel refusals come from
          // the probe, which sees every operator.
          std::vector<Refusal> merged = Probe(model, r.arena_bytes);
          for (const Refusal& f : r.refused) {
            bool known = false;
            for (const Refusal& m : merged) known |= m.subgraph == f.subgraph && m.index == f.index;
            if (!known) merged.push_back(f);
          }
          r.refused = merged;
          g_finished_run = nullptr;
        }
      }
    }
  }
  if (!g_log_partial.empty()) FlushLogLine();
  fputs(ToJson(r).c_str(), stdout);
  fflush(stdout);
  return r.ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  signal(SIGSEGV, OnFatalSignal);
  signal(SIGBUS, OnFatalSignal);
  signal(SIGFPE, OnFatalSignal);
  signal(SIGILL, OnFatalSignal);
  signal(SIGABRT, OnFatalSignal);
  return Main(argc, argv);
}
