// Deliberate thread counts for tensor math, so actors and the learner do not oversubscribe
// a small machine: each actor computes on one thread; the learner on `runtime.learner_threads`.
#pragma once

namespace sinew {

// Sets the calling thread's intra-op thread count (OpenMP/ATen).
void set_intra_op_threads(int threads);

// Sets the process-wide BLAS thread pool size where the BLAS allows it (OpenBLAS's
// openblas_set_num_threads, found at run time, so builds with MKL or without OpenBLAS work too).
// OpenBLAS's pthread build otherwise starts one busy-waiting worker per core.
// Returns false when the BLAS in use offers no such control.
bool set_blas_threads(int threads);

}  // namespace sinew
