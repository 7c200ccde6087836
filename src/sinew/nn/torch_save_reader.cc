#include "sinew/nn/torch_save_reader.h"

#include <caffe2/serialize/in_memory_adapter.h>
#include <caffe2/serialize/inline_container.h>
#include <fmt/format.h>
#include <torch/torch.h>

#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <variant>
#include <vector>

#include "sinew/core/errors.h"

namespace sinew {
namespace {

struct Value;
using ValuePtr = std::shared_ptr<Value>;

// A Python value as far as a state_dict needs one.
struct Value {
  enum class Kind {
    kNone,
    kInt,
    kFloat,
    kString,
    kTuple,
    kList,
    kDict,
    kTensor,
    kGlobal,
    kStorage,
    kOpaque
  };
  Kind kind = Kind::kNone;
  int64_t i = 0;
  double f = 0;
  std::string s;                // string; global "module.name"; storage key
  std::vector<ValuePtr> items;  // tuple, list
  std::vector<std::pair<ValuePtr, ValuePtr>> dict;
  torch::Tensor tensor;
  torch::ScalarType dtype = torch::kFloat;  // storage
};

ValuePtr make(Value::Kind kind) {
  auto v = std::make_shared<Value>();
  v->kind = kind;
  return v;
}

std::optional<torch::ScalarType> storage_dtype(const std::string& global) {
  static const std::map<std::string, torch::ScalarType> types = {
      {"torch.FloatStorage", torch::kFloat}, {"torch.DoubleStorage", torch::kDouble},
      {"torch.HalfStorage", torch::kHalf},   {"torch.BFloat16Storage", torch::kBFloat16},
      {"torch.LongStorage", torch::kLong},   {"torch.IntStorage", torch::kInt},
      {"torch.ShortStorage", torch::kShort}, {"torch.CharStorage", torch::kChar},
      {"torch.ByteStorage", torch::kByte},   {"torch.BoolStorage", torch::kBool}};
  auto it = types.find(global);
  if (it == types.end()) return std::nullopt;
  return it->second;
}

class Unpickler {
 public:
  Unpickler(const std::string& pickle, caffe2::serialize::PyTorchStreamReader& archive,
            std::string source)
      : p_(pickle), archive_(archive), source_(std::move(source)) {}

  ValuePtr run() {
    while (true) {
      const uint8_t op = byte();
      switch (op) {
        case 0x80:
          byte();
          break;  // PROTO
        case 0x95:
          bytes(8);
          break;  // FRAME
        case '(':
          marks_.push_back(stack_.size());
          break;
        case '.':
          return pop();  // STOP
        case 'N':
          push(make(Value::Kind::kNone));
          break;
        case 0x88:
          push(integer(1));
          break;  // NEWTRUE
        case 0x89:
          push(integer(0));
          break;  // NEWFALSE
        case 'K':
          push(integer(byte()));
          break;  // BININT1
        case 'M':
          push(integer(little(2)));
          break;  // BININT2
        case 'J':
          push(integer(static_cast<int32_t>(little(4))));
          break;  // BININT
        case 0x8a:
          push(long1());
          break;  // LONG1
        case 'G':
          push(binfloat());
          break;  // BINFLOAT
        case 'X':
          push(string(little(4)));
          break;  // BINUNICODE
        case 0x8c:
          push(string(byte()));
          break;  // SHORT_BINUNICODE
        case 'T':
          push(string(little(4)));
          break;  // BINSTRING
        case 'U':
          push(string(byte()));
          break;  // SHORT_BINSTRING
        case 'B':
          push(string(little(4)));
          break;  // BINBYTES
        case 'C':
          push(string(byte()));
          break;  // SHORT_BINBYTES
        case ')':
          push(make(Value::Kind::kTuple));
          break;
        case 0x85:
          tuple_of(1);
          break;
        case 0x86:
          tuple_of(2);
          break;
        case 0x87:
          tuple_of(3);
          break;
        case 't': {
          auto v = make(Value::Kind::kTuple);
          v->items = pop_mark();
          push(v);
          break;
        }
        case ']':
          push(make(Value::Kind::kList));
          break;
        case 'l': {
          auto v = make(Value::Kind::kList);
          v->items = pop_mark();
          push(v);
          break;
        }
        case 'a': {
          auto item = pop();
          top()->items.push_back(item);
          break;
        }
        case 'e': {
          auto items = pop_mark();
          auto list = top();
          list->items.insert(list->items.end(), items.begin(), items.end());
          break;
        }
        case '}':
          push(make(Value::Kind::kDict));
          break;
        case 'd': {
          auto v = make(Value::Kind::kDict);
          set_items(v, pop_mark());
          push(v);
          break;
        }
        case 's': {
          auto value = pop(), key = pop();
          set_items(top(), {key, value});
          break;
        }
        case 'u': {
          auto items = pop_mark();
          set_items(top(), items);
          break;
        }
        case 'q':
          memo_[byte()] = top();
          break;  // BINPUT
        case 'r':
          memo_[little(4)] = top();
          break;  // LONG_BINPUT
        case 0x94:
          memo_[memo_.size()] = top();
          break;  // MEMOIZE
        case 'h':
          push(memo(byte()));
          break;  // BINGET
        case 'j':
          push(memo(little(4)));
          break;     // LONG_BINGET
        case 'c': {  // GLOBAL
          std::string module = line(), name = line();
          push(global(module + "." + name));
          break;
        }
        case 0x93: {  // STACK_GLOBAL
          auto name = pop(), module = pop();
          push(global(module->s + "." + name->s));
          break;
        }
        case 'R':     // REDUCE
        case 0x81: {  // NEWOBJ
          auto args = pop(), callable = pop();
          push(reduce(callable, args));
          break;
        }
        case 'b':
          pop();
          break;  // BUILD: state (e.g. _metadata) ignored
        case 'Q':
          push(persistent(pop()));
          break;  // BINPERSID
        default:
          fail(fmt::format("unsupported pickle opcode 0x{:02x} at byte {}", op, pos_ - 1));
      }
    }
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw UserError(fmt::format("{}: cannot read the torch.save file: {}", source_, why));
  }
  uint8_t byte() {
    if (pos_ >= p_.size()) fail("truncated pickle");
    return static_cast<uint8_t>(p_[pos_++]);
  }
  std::string bytes(std::size_t n) {
    if (n > p_.size() - pos_) fail("truncated pickle");
    std::string out = p_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  uint64_t little(int n) {
    uint64_t v = 0;
    for (int k = 0; k < n; ++k) v |= static_cast<uint64_t>(byte()) << (8 * k);
    return v;
  }
  std::string line() {
    const auto end = p_.find('\n', pos_);
    if (end == std::string::npos) fail("truncated pickle");
    std::string out = p_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return out;
  }
  ValuePtr integer(int64_t v) {
    auto out = make(Value::Kind::kInt);
    out->i = v;
    return out;
  }
  ValuePtr long1() {
    const int n = byte();
    if (n > 8) fail("integer too large");
    int64_t v = 0;
    for (int k = 0; k < n; ++k) v |= static_cast<int64_t>(byte()) << (8 * k);
    if (n > 0 && n < 8 && (v >> (8 * n - 1)) & 1) v -= int64_t{1} << (8 * n);  // sign
    return integer(v);
  }
  ValuePtr binfloat() {
    uint64_t bits = 0;
    for (int k = 0; k < 8; ++k) bits = (bits << 8) | byte();  // big-endian
    auto out = make(Value::Kind::kFloat);
    std::memcpy(&out->f, &bits, sizeof bits);
    return out;
  }
  ValuePtr string(uint64_t n) {
    auto out = make(Value::Kind::kString);
    out->s = bytes(n);
    return out;
  }
  void push(ValuePtr v) { stack_.push_back(std::move(v)); }
  ValuePtr pop() {
    if (stack_.empty() || (!marks_.empty() && stack_.size() <= marks_.back())) {
      fail("malformed pickle (stack underflow)");
    }
    auto v = stack_.back();
    stack_.pop_back();
    return v;
  }
  ValuePtr top() {
    if (stack_.empty()) fail("malformed pickle (empty stack)");
    return stack_.back();
  }
  std::vector<ValuePtr> pop_mark() {
    if (marks_.empty() || marks_.back() > stack_.size()) fail("malformed pickle (no mark)");
    std::vector<ValuePtr> out(stack_.begin() + static_cast<std::ptrdiff_t>(marks_.back()),
                              stack_.end());
    stack_.resize(marks_.back());
    marks_.pop_back();
    return out;
  }
  void tuple_of(int n) {
    auto v = make(Value::Kind::kTuple);
    v->items.resize(n);
    for (int k = n - 1; k >= 0; --k) v->items[k] = pop();
    push(v);
  }
  void set_items(const ValuePtr& dict, const std::vector<ValuePtr>& items) {
    if (dict->kind == Value::Kind::kOpaque) return;  // state of an object we do not build
    if (dict->kind != Value::Kind::kDict || items.size() % 2 != 0) fail("malformed dict");
    for (std::size_t k = 0; k < items.size(); k += 2)
      dict->dict.emplace_back(items[k], items[k + 1]);
  }
  ValuePtr memo(uint64_t index) {
    auto it = memo_.find(index);
    if (it == memo_.end()) fail("malformed pickle (unknown memo)");
    return it->second;
  }
  ValuePtr global(const std::string& name) {
    auto v = make(Value::Kind::kGlobal);
    v->s = name;
    return v;
  }

  ValuePtr reduce(const ValuePtr& callable, const ValuePtr& args) {
    const std::string& name = callable->s;
    if (callable->kind == Value::Kind::kGlobal && name == "collections.OrderedDict") {
      return make(Value::Kind::kDict);
    }
    if (callable->kind == Value::Kind::kGlobal && name == "torch._utils._rebuild_tensor_v2") {
      return rebuild_tensor(args);
    }
    if (callable->kind == Value::Kind::kGlobal &&
        (name == "torch._utils._rebuild_parameter" ||
         name == "torch.jit._pickle.restore_type_tag" ||  // LibTorch's pickle_save: (dict, type)
         name == "torch._utils._rebuild_parameter_with_state") &&
        !args->items.empty()) {
      return args->items[0];
    }
    return make(Value::Kind::kOpaque);
  }

  // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, hooks, ...)
  ValuePtr rebuild_tensor(const ValuePtr& args) {
    if (args->items.size() < 4 || args->items[0]->kind != Value::Kind::kStorage) {
      fail("malformed tensor record");
    }
    const Value& storage = *args->items[0];
    std::vector<int64_t> sizes, strides;
    for (const auto& d : args->items[2]->items) sizes.push_back(d->i);
    for (const auto& d : args->items[3]->items) strides.push_back(d->i);
    if (sizes.size() != strides.size() || sizes.size() > 64) fail("malformed tensor record");
    auto [data, nbytes] = archive_.getRecord("data/" + storage.s);
    const int64_t element = static_cast<int64_t>(c10::elementSize(storage.dtype));
    const int64_t elements = static_cast<int64_t>(nbytes) / element;
    const int64_t offset = args->items[1]->i;
    int64_t last = offset;  // the last element the view reaches
    for (std::size_t d = 0; d < sizes.size(); ++d) {
      constexpr int64_t kLimit = int64_t{1} << 40;  // keeps the arithmetic below in range
      if (sizes[d] < 0 || strides[d] < 0 || sizes[d] > kLimit || strides[d] > kLimit) {
        fail("tensor size or stride out of range");
      }
      if (sizes[d] == 0) last = -1;
      if (last >= 0) last += (sizes[d] - 1) * strides[d];
    }
    if (offset < 0 || offset > (int64_t{1} << 40) || last >= elements) {
      fail(fmt::format("tensor reaches past its storage data/{}", storage.s));
    }
    auto whole =
        torch::from_blob(data.get(), {elements}, torch::TensorOptions().dtype(storage.dtype));
    auto out = make(Value::Kind::kTensor);
    out->tensor = whole.as_strided(sizes, strides, offset).clone();
    return out;
  }

  // ('storage', torch.FloatStorage, key, location, numel)
  ValuePtr persistent(const ValuePtr& pid) {
    if (pid->kind != Value::Kind::kTuple || pid->items.size() < 3 ||
        pid->items[0]->s != "storage") {
      fail("unsupported persistent record");
    }
    auto dtype = storage_dtype(pid->items[1]->s);
    if (!dtype) fail(fmt::format("unsupported storage type {}", pid->items[1]->s));
    auto out = make(Value::Kind::kStorage);
    out->dtype = *dtype;
    out->s = pid->items[2]->s;
    if (out->s.empty() || out->s.find('/') != std::string::npos) fail("bad storage key");
    return out;
  }

  const std::string& p_;
  caffe2::serialize::PyTorchStreamReader& archive_;
  std::string source_;
  std::size_t pos_ = 0;
  std::vector<ValuePtr> stack_;
  std::vector<std::size_t> marks_;
  std::map<uint64_t, ValuePtr> memo_;
};

// `budget` bounds the nodes visited: a dict that holds itself (through the memo) twice would
// otherwise be walked 2^depth times.
void flatten(const Value& v, const std::string& prefix, NamedTensors* out, int depth, int* budget) {
  if (depth > 32 || --*budget < 0) return;
  if (v.kind == Value::Kind::kTensor) {
    (*out)[prefix] = v.tensor;
  } else if (v.kind == Value::Kind::kDict) {
    for (const auto& [key, value] : v.dict) {
      if (key->kind != Value::Kind::kString) continue;
      flatten(*value, prefix.empty() ? key->s : prefix + "." + key->s, out, depth + 1, budget);
    }
  }
}

}  // namespace

NamedTensors read_torch_save(const std::string& bytes, const std::string& source) {
  if (bytes.size() < 4 || bytes.compare(0, 2, "PK") != 0) {
    throw UserError(
        fmt::format("{}: not a torch.save file (no zip archive; files from PyTorch "
                    "before 1.6 must be saved again with a newer one)",
                    source));
  }
  try {
    auto adapter =
        std::make_shared<caffe2::serialize::MemoryReadAdapter>(bytes.data(), bytes.size());
    caffe2::serialize::PyTorchStreamReader archive(adapter);
    if (!archive.hasRecord("data.pkl")) {
      throw UserError(fmt::format("{}: no data.pkl in the archive (a TorchScript file?)", source));
    }
    auto [data, size] = archive.getRecord("data.pkl");
    std::string pickle(static_cast<const char*>(data.get()), size);
    ValuePtr root = Unpickler(pickle, archive, source).run();
    NamedTensors out;
    int budget = 1 << 20;
    flatten(*root, "", &out, 0, &budget);
    return out;
  } catch (const c10::Error& e) {
    throw UserError(fmt::format("{}: cannot read the torch.save archive: {}", source,
                                shortened(e.what_without_backtrace(), 200)));
  }
}

}  // namespace sinew
