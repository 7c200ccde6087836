#include "sinew/nn/mlp.h"

#include <torch/nn/init.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/linear.h>

#include <cmath>

namespace sinew {
namespace {

torch::nn::Linear make_linear(int64_t in, int64_t out, double gain) {
  torch::nn::Linear layer(in, out);
  torch::NoGradGuard no_grad;
  torch::nn::init::orthogonal_(layer->weight, gain);
  layer->bias.zero_();
  return layer;
}

}  // namespace

torch::nn::Sequential make_mlp(int64_t in, const std::vector<int64_t>& hidden, int64_t out,
                               const std::string& activation, double output_gain) {
  torch::nn::Sequential net;
  int64_t width = in;
  for (int64_t h : hidden) {
    net->push_back(make_linear(width, h, std::sqrt(2.0)));
    if (activation == "relu") {
      net->push_back(torch::nn::ReLU());
    } else {
      net->push_back(torch::nn::Tanh());
    }
    width = h;
  }
  net->push_back(make_linear(width, out, output_gain));
  return net;
}

}  // namespace sinew
