// Precompiled header for the torch-using targets (nn/, algo/, runtime/, cli/): parsing the
// LibTorch headers costs about 20 s per translation unit, so it is done once here.
#pragma once

#include <torch/torch.h>
