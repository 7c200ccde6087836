// A fixture for the layering check (cmake/check_layers.py): core/ including runtime/ and torch
// must be reported. Not compiled.
#pragma once

#include <torch/types.h>

#include "sinew/runtime/actor.h"
