// Reads the tensors of a file written by Python's torch.save (the zip format of PyTorch >= 1.6)
// without Python: a state_dict, or a dict of them (tonic saves the model's state_dict, an
// OrderedDict with metadata). LibTorch's own pickle_load cannot read an OrderedDict, which is
// what every state_dict is, so this is a small unpickler of its own for the opcodes torch.save
// writes (protocols 2 to 4). It builds only dicts, lists, tuples, scalars, strings and tensors
// (torch._utils._rebuild_tensor_v2 / _rebuild_parameter over the archive's storages); any other
// class becomes an opaque value and is skipped, so a file cannot make it run code.
#pragma once

#include <string>

#include "sinew/nn/named_tensors.h"

namespace sinew {

// Every tensor in the (nested) dicts of the torch.save file `bytes`, named by its keys joined
// with "." ({"actor": {"w": t}} -> "actor.w"). Throws UserError naming `source` when the bytes
// are not such a file.
NamedTensors read_torch_save(const std::string& bytes, const std::string& source);

}  // namespace sinew
