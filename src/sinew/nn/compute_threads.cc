#include "sinew/nn/compute_threads.h"

#include <ATen/Parallel.h>
#include <dlfcn.h>

namespace sinew {

void set_intra_op_threads(int threads) { at::set_num_threads(threads); }

bool set_blas_threads(int threads) {
  using SetThreads = void (*)(int);
  auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
  if (!set) return false;
  set(threads);
  return true;
}

}  // namespace sinew
